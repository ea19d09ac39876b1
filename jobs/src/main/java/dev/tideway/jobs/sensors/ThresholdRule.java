package dev.tideway.jobs.sensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.cep.CepReference;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Threshold: {@code count} consecutive readings of one sensor above their metric's limit, the first
 * and the last within {@code window}. One reading above the limit is noise; several in a row are a
 * condition. Written in the rule language from the {@code tideway.sensors.threshold.*} options, one
 * condition joining the metrics' limits with {@code or} (defaults shown):
 *
 * <pre>{@code
 * {"id": "threshold", "version": 1, "key": "sensorId", "within": "60000 ms",
 *  "steps": [{"name": "above", "times": 3, "contiguity": "next",
 *             "where": "(metric == 'humidity' and value > 90) or (metric == 'pressure' and value > 400)
 *                       or (metric == 'temperature' and value > 80) or (metric == 'vibration' and value > 12)"}],
 *  "detail": "3 consecutive readings above their metric's limit within PT1M, the last {above.metric}
 *             {above.value} {above.unit} (limits: humidity 90, pressure 400, ...)"}
 * }</pre>
 *
 * After a match the rule starts over behind it: one alert per run of {@code count} readings. It
 * runs on the Tideway rules engine ({@link #onEngine}), or compiled to the flink-cep pattern it
 * replaces, {@code begin("above").times(count).consecutive().within(window)} with skip past last
 * event ({@link #onCep}, {@code tideway.sensors.engine: CEP}). Both sort each sensor's readings by
 * event time before matching and drop a partial run once the watermark passes its window, so a
 * sensor that goes quiet leaves no state behind.
 *
 * <p>"Consecutive" means consecutive readings of the sensor: the rule is keyed by sensor, like the
 * others (see {@link LateGate}), so for a sensor that reports several metrics, a reading of another
 * metric below its limit interrupts a run (one above its own limit continues it).
 */
public final class ThresholdRule {
    public static final String NAME = "threshold";
    static final String ABOVE = "above";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ThresholdRule() {}

    /** The rule, in the rule language, for the job's limits, count and window. */
    public static RuleDefinition definition(SensorRules rules) {
        TreeMap<String, Double> limits = rules.thresholds();
        ObjectNode rule =
                JSON.createObjectNode()
                        .put("id", NAME)
                        .put("version", 1)
                        .put("key", "sensorId")
                        .put(
                                "description",
                                "consecutive readings of a sensor above their metric's limit")
                        .put("within", rules.thresholdWindow().toMillis() + " ms");
        rule.putArray("steps")
                .addObject()
                .put("name", ABOVE)
                .put("where", condition(limits))
                .put("times", rules.thresholdCount())
                .put("contiguity", "next");
        StringJoiner listed = new StringJoiner(", ", " (limits: ", ")");
        limits.forEach((metric, limit) -> listed.add(metric + " " + number(limit)));
        rule.put(
                "detail",
                rules.thresholdCount()
                        + " consecutive readings above their metric's limit within "
                        + rules.thresholdWindow()
                        + ", the last {above.metric} {above.value} {above.unit}"
                        + listed);
        return RuleParser.parse(rule.toString());
    }

    /**
     * The condition a reading meets when it is above its metric's limit: {@code (metric == 'm' and
     * value > limit) or ...}, {@code false} without limits. The same test as {@link #isAbove}.
     */
    static String condition(Map<String, Double> limits) {
        StringJoiner or = new StringJoiner(" or ");
        for (Map.Entry<String, Double> e : new TreeMap<>(limits).entrySet()) {
            String metric = e.getKey();
            if (metric.isEmpty() || metric.indexOf('\'') >= 0) {
                throw new IllegalArgumentException(
                        SensorOptions.THRESHOLDS.key()
                                + ": a metric name must be non-empty and without ', was '"
                                + metric
                                + "'");
            }
            or.add("(metric == '" + metric + "' and value > " + number(e.getValue()) + ")");
        }
        return limits.isEmpty() ? "false" : or.toString();
    }

    /** A limit as the rule language writes numbers: plain decimal, no exponent. */
    private static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** Whether a reading is above its metric's limit, in Java: what {@link #condition} spells. */
    static boolean isAbove(Map<String, Double> limits, SensorReading r) {
        Double limit = limits.get(r.metric);
        return limit != null && r.value > limit;
    }

    /**
     * The rule on the Tideway rules engine; late readings go to {@link
     * SensorMonitoringJob#LATE_READINGS}.
     *
     * @param ruleUpdates rule JSON to apply while the job runs (the job passes an empty stream)
     */
    public static SingleOutputStreamOperator<Alert> onEngine(
            KeyedStream<SensorReading, String> sensors,
            DataStream<String> ruleUpdates,
            SensorRules rules) {
        return RuleEngine.detect(
                sensors,
                ruleUpdates,
                SensorReadingFields.SCHEMA,
                List.of(definition(rules)),
                SensorMonitoringJob.LATE_READINGS);
    }

    /** The same rule as a flink-cep pattern (the reference). */
    public static SingleOutputStreamOperator<Alert> onCep(
            KeyedStream<SensorReading, String> sensors, SensorRules rules) {
        return CepReference.detect(
                sensors,
                CompiledRule.compile(definition(rules), SensorReadingFields.SCHEMA),
                SensorReadingFields.SCHEMA,
                SensorMonitoringJob.LATE_READINGS);
    }
}
