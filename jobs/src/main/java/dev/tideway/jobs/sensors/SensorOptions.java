package dev.tideway.jobs.sensors;

import dev.tideway.connectors.files.FileSinkOptions;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.time.EventTimeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Every option of the sensor-monitoring job: topics, output path, windows and rule settings. */
public final class SensorOptions {

    public static final ConfigOption<String> READINGS_TOPIC =
            ConfigOptions.key("tideway.sensors.readings-topic")
                    .stringType()
                    .defaultValue("sensor-readings")
                    .withDescription("Topic of sensor readings (JSON, keyed by sensor id).");

    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("tideway.sensors.alerts-topic")
                    .stringType()
                    .defaultValue("sensor-alerts")
                    .withDescription(
                            "Topic the alerts (threshold, jump, silence, recovered) are written"
                                    + " to, exactly once.");

    public static final ConfigOption<String> AGGREGATES_TOPIC =
            ConfigOptions.key("tideway.sensors.aggregates-topic")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Topic the window aggregates are also written to, exactly once;"
                                    + " empty writes them to files only.");

    public static final ConfigOption<String> LATE_TOPIC =
            ConfigOptions.key("tideway.sensors.late-topic")
                    .stringType()
                    .defaultValue("sensor-late-readings")
                    .withDescription(
                            "Topic for readings that arrived behind the watermark (as dead-letter"
                                    + " records with their origin and reason), exactly once.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("tideway.sensors.dead-letter-topic")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription("Topic for undecodable and invalid readings.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("tideway.sensors.group-id")
                    .stringType()
                    .defaultValue("tideway-sensors")
                    .withDescription("Kafka consumer group of the job.");

    public static final ConfigOption<String> OUTPUT_PATH =
            ConfigOptions.key("tideway.sensors.output-path")
                    .stringType()
                    .defaultValue("file:///tmp/tideway/lake")
                    .withDescription(
                            "Base path of the file output (file://, s3://, hdfs://): aggregates go"
                                    + " to <path>/sensor_aggregates/dt=YYYY-MM-DD/hour=HH/.");

    public static final ConfigOption<Duration> WINDOW =
            ConfigOptions.key("tideway.sensors.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Size of the tumbling event-time windows of the aggregates (count,"
                                    + " min, max, mean per sensor, metric and unit).");

    public static final ConfigOption<Map<String, String>> THRESHOLDS =
            ConfigOptions.key("tideway.sensors.threshold.limits")
                    .mapType()
                    .defaultValue(
                            Map.of(
                                    "temperature", "80",
                                    "pressure", "400",
                                    "humidity", "90",
                                    "vibration", "12"))
                    .withDescription(
                            "Threshold rule: the limit per metric, as metric:limit,metric:limit"
                                    + " (in the metric's unit). A metric without a limit is not"
                                    + " checked by the threshold rule.");

    public static final ConfigOption<Integer> THRESHOLD_COUNT =
            ConfigOptions.key("tideway.sensors.threshold.count")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Threshold rule: this many consecutive readings of a sensor above its"
                                    + " metric's limit ...");

    public static final ConfigOption<Duration> THRESHOLD_WINDOW =
            ConfigOptions.key("tideway.sensors.threshold.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("... from the first to the last within this long.");

    public static final ConfigOption<Integer> JUMP_READINGS =
            ConfigOptions.key("tideway.sensors.jump.readings")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Jump rule: a reading is compared with the mean of this many previous"
                                    + " readings of the sensor; no alert before there are as many.");

    public static final ConfigOption<Double> JUMP_FACTOR =
            ConfigOptions.key("tideway.sensors.jump.factor")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "Jump rule: alert when |value - mean| > factor * |mean|, a relative"
                                    + " jump (0.5: half the recent level, up or down).");

    public static final ConfigOption<Duration> JUMP_MEMORY =
            ConfigOptions.key("tideway.sensors.jump.memory")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Jump rule: a sensor's recent readings are forgotten after this long"
                                    + " without a reading (bounds the state).");

    public static final ConfigOption<Duration> SILENCE_TIMEOUT =
            ConfigOptions.key("tideway.sensors.silence.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Silence rule: a sensor that reported before and then sends nothing"
                                    + " for longer than this (event time) raises a silence alert;"
                                    + " its next reading raises a recovered alert.");

    public static final ConfigOption<Duration> SILENCE_RETENTION =
            ConfigOptions.key("tideway.sensors.silence.retention")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "Silence rule: how long after its silence alert a silent sensor is"
                                    + " remembered (a small marker) so that its return raises a"
                                    + " recovered alert; then it is forgotten and a later return"
                                    + " counts as a new sensor (bounds the state).");

    /** Which engine runs the threshold rule. */
    public enum Engine {
        /** Tideway's rules engine: one state value and at most one pending timer per sensor. */
        RULES,
        /** The same rule as a flink-cep pattern: the reference the engine is tested against. */
        CEP
    }

    public static final ConfigOption<Engine> ENGINE =
            ConfigOptions.key("tideway.sensors.engine")
                    .enumType(Engine.class)
                    .defaultValue(Engine.RULES)
                    .withDescription(
                            "Engine of the threshold rule (jump, silence and recovered are state"
                                    + " machines of their own). RULES: the Tideway rules engine."
                                    + " CEP: the same rule as a flink-cep pattern, the reference the"
                                    + " engine is tested against (much slower on RocksDB). Switching"
                                    + " engines on a savepoint leaves the other engine's state"
                                    + " unclaimed: restore with"
                                    + " execution.state-recovery.ignore-unclaimed-state: true, which"
                                    + " drops open runs.");

    /** Every option this job accepts, for validating the command line. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all =
                new java.util.ArrayList<>(
                        List.of(
                                READINGS_TOPIC,
                                ALERTS_TOPIC,
                                AGGREGATES_TOPIC,
                                LATE_TOPIC,
                                DEAD_LETTER_TOPIC,
                                GROUP_ID,
                                OUTPUT_PATH,
                                WINDOW,
                                THRESHOLDS,
                                THRESHOLD_COUNT,
                                THRESHOLD_WINDOW,
                                JUMP_READINGS,
                                JUMP_FACTOR,
                                JUMP_MEMORY,
                                SILENCE_TIMEOUT,
                                SILENCE_RETENTION,
                                ENGINE));
        all.addAll(KafkaOptions.all());
        all.addAll(dev.tideway.rules.RuleEngineOptions.all());
        all.addAll(EventTimeOptions.all());
        all.addAll(FileSinkOptions.parquet());
        return all;
    }

    /** The rules' settings, checked. */
    public static SensorRules rules(ReadableConfig config) {
        return new SensorRules(
                config.get(WINDOW),
                thresholds(config.get(THRESHOLDS)),
                config.get(THRESHOLD_COUNT),
                config.get(THRESHOLD_WINDOW),
                config.get(JUMP_READINGS),
                config.get(JUMP_FACTOR),
                config.get(JUMP_MEMORY),
                config.get(SILENCE_TIMEOUT),
                config.get(SILENCE_RETENTION));
    }

    /** The limits as numbers; a limit that is not a finite number names the option. */
    static TreeMap<String, Double> thresholds(Map<String, String> limits) {
        TreeMap<String, Double> parsed = new TreeMap<>();
        for (Map.Entry<String, String> e : limits.entrySet()) {
            double limit;
            try {
                limit = Double.parseDouble(e.getValue().trim());
            } catch (NumberFormatException ex) {
                limit = Double.NaN;
            }
            if (!Double.isFinite(limit)) {
                throw new IllegalArgumentException(
                        THRESHOLDS.key()
                                + ": the limit of metric '"
                                + e.getKey()
                                + "' must be a finite number, was '"
                                + e.getValue()
                                + "'");
            }
            parsed.put(e.getKey().trim(), limit);
        }
        return parsed;
    }

    private SensorOptions() {}
}
