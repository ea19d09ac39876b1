package dev.tideway.jobs.clicks;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaEventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.kafka.KafkaPreflight;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.support.LateEventToDeadLetter;
import dev.tideway.jobs.support.NoRuleUpdates;
import dev.tideway.jobs.support.ResultMetrics;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Click-stream analytics, keyed by user, in event time: session summaries (session windows), the
 * purchase funnel per tumbling window, and abandoned-cart alerts (a rule of the Tideway rules
 * engine, or of flink-cep with {@code tideway.clicks.engine: CEP}). Results go to Kafka and files
 * exactly once; late clicks to a late topic, bad input to dead letters.
 */
public final class ClickstreamJob {
    public static final String JOB_NAME = "tideway-clickstream";

    /** Clicks found behind the watermark after the keyBy. */
    static final OutputTag<ClickEvent> LATE_CLICKS =
            new OutputTag<>("late-clicks", Types.POJO(ClickEvent.class));

    private final EventSource<ClickEvent> clicks;
    private final ClickSinks sinks;
    private final ClickRules rules;
    private final ClickOptions.Engine engine;

    /** The job with the abandoned-cart rule on the rules engine (the default). */
    public ClickstreamJob(EventSource<ClickEvent> clicks, ClickSinks sinks, ClickRules rules) {
        this(clicks, sinks, rules, ClickOptions.Engine.RULES);
    }

    public ClickstreamJob(
            EventSource<ClickEvent> clicks,
            ClickSinks sinks,
            ClickRules rules,
            ClickOptions.Engine engine) {
        this.clicks = clicks;
        this.sinks = sinks;
        this.rules = rules;
        this.engine = engine;
    }

    /** Adds the job's pipeline to the environment. */
    public void build(StreamExecutionEnvironment env) {
        DecodedStreams<ClickEvent> input = clicks.open(env);
        SingleOutputStreamOperator<ClickEvent> onTime =
                input.events()
                        .keyBy(c -> c.userId, Types.STRING)
                        .process(new OnTimeGate(LATE_CLICKS), Types.POJO(ClickEvent.class))
                        .uid("clicks-on-time-gate")
                        .name("late check by user");
        // Still partitioned by user: key again without a shuffle, so the three operators below
        // sit on the gate's partitions and see its watermark (sessions and funnel chain to it; the
        // rules engine, a two-input operator, is connected one-to-one, which keeps the order of
        // clicks and watermarks), so none of them finds a click the gate passed late.
        KeyedStream<ClickEvent, String> users =
                DataStreamUtils.reinterpretAsKeyedStream(onTime, c -> c.userId, Types.STRING);

        SingleOutputStreamOperator<ClickSession> sessions =
                Sessions.summarize(users, rules).uid("clicks-sessions").name("sessions by user");
        DataStream<ClickSession> sessionsOut =
                sessions.map(
                                new ResultMetrics<>(
                                        "tidewayClickSessions", new ClickSessionCodec()),
                                Types.POJO(ClickSession.class))
                        .uid("clicks-count-sessions")
                        .name("session metrics");
        sessionsOut.sinkTo(sinks.sessions()).uid("clicks-sessions-sink").name("kafka: sessions");
        sessionsOut
                .sinkTo(sinks.sessionFiles())
                .uid("clicks-session-files")
                .name("files: " + ClickSinks.SESSION_FILES);

        SingleOutputStreamOperator<FurthestStep> steps =
                Funnel.furthestSteps(users, rules)
                        .uid("clicks-funnel-users")
                        .name("funnel: furthest step per user");
        DataStream<FunnelCounts> funnels =
                Funnel.count(steps, rules)
                        .uid("clicks-funnel-counts")
                        .name("funnel: users per step")
                        .map(
                                new ResultMetrics<>("tidewayClickFunnels", new FunnelCountsCodec()),
                                Types.POJO(FunnelCounts.class))
                        .uid("clicks-count-funnels")
                        .name("funnel metrics");
        funnels.sinkTo(sinks.funnels()).uid("clicks-funnels-sink").name("kafka: funnels");
        funnels.sinkTo(sinks.funnelFiles())
                .uid("clicks-funnel-files")
                .name("files: " + ClickSinks.FUNNEL_FILES);

        SingleOutputStreamOperator<Alert> carts = abandonedCarts(env, users);
        carts.map(new ResultMetrics<>("tidewayAlerts", new AlertCodec()), Types.POJO(Alert.class))
                .uid("clicks-count-alerts")
                .name("alert metrics")
                .sinkTo(sinks.alerts())
                .uid("clicks-alerts-sink")
                .name("kafka: alerts");

        DataStream<ClickEvent> lateToCount =
                onTime.getSideOutput(LATE_CLICKS)
                        .union(
                                sessions.getSideOutput(LATE_CLICKS),
                                steps.getSideOutput(LATE_CLICKS));
        DataStream<DeadLetter> lateAfterKeyBy;
        if (engine == ClickOptions.Engine.CEP) {
            lateAfterKeyBy =
                    lateToCount
                            .union(carts.getSideOutput(LATE_CLICKS))
                            .map(new LateClicks(), Types.POJO(DeadLetter.class))
                            .uid("clicks-late-to-dead-letters")
                            .name("late clicks");
        } else {
            // The rules engine counts its late clicks itself (tidewayLateEvents).
            lateAfterKeyBy =
                    lateToCount
                            .map(new LateClicks(), Types.POJO(DeadLetter.class))
                            .uid("clicks-late-to-dead-letters")
                            .name("late clicks")
                            .union(
                                    carts.getSideOutput(LATE_CLICKS)
                                            .map(
                                                    new LateEventToDeadLetter<>(
                                                            new ClickEventCodec()),
                                                    Types.POJO(DeadLetter.class))
                                            .uid("clicks-late-at-rules-engine")
                                            .name("late clicks at the rules engine"));
        }
        input.late()
                .union(lateAfterKeyBy)
                .sinkTo(sinks.late())
                .uid("clicks-late-sink")
                .name("kafka: late clicks");
        input.deadLetters()
                .sinkTo(sinks.deadLetters())
                .uid("clicks-dead-letters-sink")
                .name("kafka: dead letters");
    }

    /** The abandoned-cart rule on the configured engine; late clicks on its LATE_CLICKS output. */
    private SingleOutputStreamOperator<Alert> abandonedCarts(
            StreamExecutionEnvironment env, KeyedStream<ClickEvent, String> users) {
        if (engine == ClickOptions.Engine.CEP) {
            // The uid of the flink-cep operator the job always had.
            return AbandonedCartRule.onCep(users, rules)
                    .uid("clicks-abandoned-cart")
                    .name("rule (cep): " + AbandonedCartRule.NAME);
        }
        // The rule is fixed until a restart: an empty, finished control stream.
        DataStream<String> noUpdates = NoRuleUpdates.stream(env, "clicks-no-rule-updates");
        return AbandonedCartRule.onEngine(users, noUpdates, rules)
                .uid("clicks-rules-engine")
                .name("rules engine: " + AbandonedCartRule.NAME);
    }

    /** The job wired to real Kafka topics and files, from options. */
    public static ClickstreamJob fromConfig(ReadableConfig config, StreamExecutionEnvironment env) {
        if (config.get(KafkaOptions.PREFLIGHT)) {
            KafkaPreflight.check(
                    config,
                    Map.of(
                            ClickOptions.CLICKS_TOPIC.key(), config.get(ClickOptions.CLICKS_TOPIC),
                            ClickOptions.SESSIONS_TOPIC.key(),
                                    config.get(ClickOptions.SESSIONS_TOPIC),
                            ClickOptions.FUNNELS_TOPIC.key(),
                                    config.get(ClickOptions.FUNNELS_TOPIC),
                            ClickOptions.ALERTS_TOPIC.key(), config.get(ClickOptions.ALERTS_TOPIC),
                            ClickOptions.LATE_TOPIC.key(), config.get(ClickOptions.LATE_TOPIC),
                            ClickOptions.DEAD_LETTER_TOPIC.key(),
                                    config.get(ClickOptions.DEAD_LETTER_TOPIC)),
                    true);
        }
        return new ClickstreamJob(
                clickSource(config),
                ClickSinks.fromConfig(config, env),
                ClickOptions.rules(config),
                config.get(ClickOptions.ENGINE));
    }

    public static EventSource<ClickEvent> clickSource(ReadableConfig config) {
        return KafkaEventSource.builder(new ClickEventCodec(EventTimeOptions.codecSettings(config)))
                .options(config)
                .topic(config.get(ClickOptions.CLICKS_TOPIC))
                .groupId(config.get(ClickOptions.GROUP_ID))
                .uid("clicks-clicks")
                .build();
    }

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, ClickOptions.all());
        StreamExecutionEnvironment env = JobConfig.environment(args, config);
        fromConfig(config, env).build(env);
        env.execute(JOB_NAME);
    }
}
