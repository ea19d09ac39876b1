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
 * purchase funnel per tumbling window, and abandoned-cart alerts (flink-cep timeouts). Results go
 * to Kafka and files exactly once; late clicks to a late topic, bad input to dead letters.
 */
public final class ClickstreamJob {
    public static final String JOB_NAME = "tideway-clickstream";

    /** Clicks found behind the watermark after the keyBy. */
    static final OutputTag<ClickEvent> LATE_CLICKS =
            new OutputTag<>("late-clicks", Types.POJO(ClickEvent.class));

    private final EventSource<ClickEvent> clicks;
    private final ClickSinks sinks;
    private final ClickRules rules;

    public ClickstreamJob(EventSource<ClickEvent> clicks, ClickSinks sinks, ClickRules rules) {
        this.clicks = clicks;
        this.sinks = sinks;
        this.rules = rules;
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
        // chain to the gate and share its watermark.
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

        SingleOutputStreamOperator<Alert> carts =
                AbandonedCartRule.detect(users, rules)
                        .uid("clicks-abandoned-cart")
                        .name("rule: abandoned cart (cep)");
        AbandonedCartRule.alerts(carts)
                .map(
                        new ResultMetrics<>("tidewayAlerts", new AlertCodec()),
                        Types.POJO(Alert.class))
                .uid("clicks-count-alerts")
                .name("alert metrics")
                .sinkTo(sinks.alerts())
                .uid("clicks-alerts-sink")
                .name("kafka: alerts");

        DataStream<DeadLetter> lateAfterKeyBy =
                onTime.getSideOutput(LATE_CLICKS)
                        .union(
                                sessions.getSideOutput(LATE_CLICKS),
                                steps.getSideOutput(LATE_CLICKS),
                                carts.getSideOutput(LATE_CLICKS))
                        .map(new LateClicks(), Types.POJO(DeadLetter.class))
                        .uid("clicks-late-to-dead-letters")
                        .name("late clicks");
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
                ClickOptions.rules(config));
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
