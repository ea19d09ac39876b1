package dev.tideway.jobs.sensors;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.common.model.SensorReading;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * IoT sensor monitoring. Readings keyed by sensor pass a late gate, then feed, on the same keyed
 * partitions: tumbling event-time aggregates (count, min, max, mean per sensor and metric) to
 * Parquet files and optionally a topic, and three rules whose alerts go to a topic: threshold (a
 * rule of the Tideway rules engine, or of flink-cep with {@code tideway.sensors.engine: CEP}), jump
 * and silence/recovered (event-time ordered state machines). Late readings go to a late topic, bad
 * input to the dead-letter topic; every output exactly once.
 */
public final class SensorMonitoringJob {
    public static final String JOB_NAME = "tideway-sensor-monitoring";

    /** Readings that reached the gate, a window or a rule behind its watermark. */
    static final OutputTag<SensorReading> LATE_READINGS =
            new OutputTag<>("late-readings", Types.POJO(SensorReading.class));

    private final EventSource<SensorReading> readings;
    private final SensorOutputs outputs;
    private final SensorRules rules;
    private final SensorOptions.Engine engine;

    /** The job with the threshold rule on the rules engine (the default). */
    public SensorMonitoringJob(
            EventSource<SensorReading> readings, SensorOutputs outputs, SensorRules rules) {
        this(readings, outputs, rules, SensorOptions.Engine.RULES);
    }

    public SensorMonitoringJob(
            EventSource<SensorReading> readings,
            SensorOutputs outputs,
            SensorRules rules,
            SensorOptions.Engine engine) {
        this.readings = readings;
        this.outputs = outputs;
        this.rules = rules;
        this.engine = engine;
    }

    /** Adds the job's pipeline to the environment. */
    public void build(StreamExecutionEnvironment env) {
        DecodedStreams<SensorReading> input = readings.open(env);
        SingleOutputStreamOperator<SensorReading> onTime =
                input.events()
                        .keyBy(r -> r.sensorId)
                        .process(new LateGate(), Types.POJO(SensorReading.class))
                        .uid("sensors-late-gate")
                        .name("late gate");
        // Already partitioned by sensor: the window and the rules sit behind the gate on its
        // partitions (chained, or for the two-input rules engine over a forward channel, which
        // keeps the order of readings and watermarks) and see its watermark, so nothing that
        // passed the gate is late for them.
        KeyedStream<SensorReading, String> sensors =
                DataStreamUtils.reinterpretAsKeyedStream(onTime, r -> r.sensorId, Types.STRING);

        SingleOutputStreamOperator<SensorAggregate> aggregates =
                sensors.window(TumblingEventTimeWindows.of(rules.window()))
                        .sideOutputLateData(LATE_READINGS)
                        .aggregate(
                                new WindowAggregates.Summarize(),
                                new WindowAggregates.Emit(),
                                WindowAggregates.accumulatorType(),
                                WindowAggregates.accumulatorType(),
                                Types.POJO(SensorAggregate.class))
                        .uid("sensors-window-aggregates")
                        .name("window aggregates");
        writeAggregates(aggregates);

        SingleOutputStreamOperator<Alert> threshold = threshold(env, sensors);
        // Jump and silence stay hand-written state machines: the rule language matches sequences
        // of events, and neither is one. Jump compares every reading with the mean of the K before
        // it of the same metric, windows that overlap from reading to reading, which a pattern that
        // consumes its events cannot express. Silence and recovered are two outputs of one piece of
        // state (the silence alert, then the first reading after it), and the language reports one
        // kind of finding per rule: an absence rule could raise the silence alert, but nothing ties
        // the later recovered alert to it, nor bounds how long a silent sensor is remembered.
        var jump =
                sensors.process(new JumpRule(rules), Types.POJO(Alert.class))
                        .uid("sensors-jump")
                        .name("rule: jump");
        var silence =
                sensors.process(new SilenceRule(rules), Types.POJO(Alert.class))
                        .uid("sensors-silence")
                        .name("rule: silence");
        threshold
                .union(jump, silence)
                .map(
                        new ResultMetrics<>("tidewayAlerts", new AlertCodec()),
                        Types.POJO(Alert.class))
                .uid("sensors-count-alerts")
                .name("alert metrics")
                .sinkTo(outputs.alerts())
                .uid("sensors-alerts-sink")
                .name("kafka: alerts");

        // The gate, windows and flink-cep drop late readings silently unless told; these count
        // here.
        DataStream<SensorReading> uncounted =
                onTime.getSideOutput(LATE_READINGS).union(aggregates.getSideOutput(LATE_READINGS));
        // The ordered rules and the rules engine count their own (tidewayLateEvents); behind the
        // gate they see none.
        DataStream<SensorReading> counted =
                jump.getSideOutput(LATE_READINGS).union(silence.getSideOutput(LATE_READINGS));
        if (engine == SensorOptions.Engine.CEP) {
            uncounted = uncounted.union(threshold.getSideOutput(LATE_READINGS));
        } else {
            counted = counted.union(threshold.getSideOutput(LATE_READINGS));
        }
        DataStream<DeadLetter> lateBehindSource =
                uncounted
                        .map(new LateReadings(), Types.POJO(DeadLetter.class))
                        .uid("sensors-late-to-records")
                        .name("late readings");
        DataStream<DeadLetter> lateAtRules =
                counted.map(
                                new LateEventToDeadLetter<>(new SensorReadingCodec()),
                                Types.POJO(DeadLetter.class))
                        .uid("sensors-late-at-rules")
                        .name("late readings at rules");
        input.late()
                .union(lateBehindSource, lateAtRules)
                .sinkTo(outputs.late())
                .uid("sensors-late-sink")
                .name("kafka: late readings");

        input.deadLetters()
                .sinkTo(outputs.deadLetters())
                .uid("sensors-dead-letters-sink")
                .name("kafka: dead letters");
    }

    /** The threshold rule on the configured engine; late readings on its LATE_READINGS output. */
    private SingleOutputStreamOperator<Alert> threshold(
            StreamExecutionEnvironment env, KeyedStream<SensorReading, String> sensors) {
        if (engine == SensorOptions.Engine.CEP) {
            // The uid of the flink-cep operator the job always had; the compiled pattern has the
            // same shape and step name ("above") as the hand-written one it replaces.
            return ThresholdRule.onCep(sensors, rules)
                    .uid("sensors-threshold")
                    .name("rule (cep): " + ThresholdRule.NAME);
        }
        // The rule is fixed until a restart: an empty, finished control stream.
        DataStream<String> noUpdates = NoRuleUpdates.stream(env, "sensors-no-rule-updates");
        return ThresholdRule.onEngine(sensors, noUpdates, rules)
                .uid("sensors-rules-engine")
                .name("rules engine: " + ThresholdRule.NAME);
    }

    private void writeAggregates(DataStream<SensorAggregate> aggregates) {
        DataStream<SensorAggregate> counted =
                aggregates
                        .map(
                                new ResultMetrics<>(
                                        "tidewayAggregates", new SensorAggregateCodec()),
                                Types.POJO(SensorAggregate.class))
                        .uid("sensors-count-aggregates")
                        .name("aggregate metrics");
        counted.sinkTo(outputs.aggregateFiles())
                .uid("sensors-aggregates-files")
                .name("files: " + SensorOutputs.AGGREGATES_TYPE);
        if (outputs.aggregateTopic() != null) {
            counted.sinkTo(outputs.aggregateTopic())
                    .uid("sensors-aggregates-sink")
                    .name("kafka: aggregates");
        }
    }

    /** The job wired to real Kafka topics and files, from options. */
    public static SensorMonitoringJob fromConfig(
            ReadableConfig config, StreamExecutionEnvironment env) {
        if (config.get(KafkaOptions.PREFLIGHT)) {
            Map<String, String> topics = new LinkedHashMap<>();
            for (var option :
                    java.util.List.of(
                            SensorOptions.READINGS_TOPIC,
                            SensorOptions.ALERTS_TOPIC,
                            SensorOptions.AGGREGATES_TOPIC,
                            SensorOptions.LATE_TOPIC,
                            SensorOptions.DEAD_LETTER_TOPIC)) {
                if (!config.get(option).isBlank()) {
                    topics.put(option.key(), config.get(option));
                }
            }
            KafkaPreflight.check(config, topics, true);
        }
        return withSource(readingSource(config), config, env);
    }

    /** The job reading the given source, with its outputs and rules from options. */
    public static SensorMonitoringJob withSource(
            EventSource<SensorReading> readings,
            ReadableConfig config,
            StreamExecutionEnvironment env) {
        return new SensorMonitoringJob(
                readings,
                SensorOutputs.fromConfig(config, env),
                SensorOptions.rules(config),
                config.get(SensorOptions.ENGINE));
    }

    public static EventSource<SensorReading> readingSource(ReadableConfig config) {
        return KafkaEventSource.builder(
                        new SensorReadingCodec(EventTimeOptions.codecSettings(config)))
                .options(config)
                .topic(config.get(SensorOptions.READINGS_TOPIC))
                .groupId(config.get(SensorOptions.GROUP_ID))
                .uid("sensors-readings")
                .build();
    }

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, SensorOptions.all());
        StreamExecutionEnvironment env = JobConfig.environment(args, config);
        fromConfig(config, env).build(env);
        env.execute(JOB_NAME);
    }
}
