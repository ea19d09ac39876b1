package dev.tideway.jobs.sensors;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Threshold: {@code count} consecutive readings of one sensor above its metric's limit, the first
 * and the last within {@code window}. One reading above the limit is noise; several in a row are a
 * condition. Written with flink-cep in event time: CEP sorts each sensor's readings by time before
 * matching, and partial matches are pruned once the watermark passes their window, so a sensor that
 * goes quiet leaves no state behind.
 *
 * <p>"Consecutive" means consecutive readings of the sensor: the rule is keyed by sensor, like the
 * others (see {@link LateGate}), so for a sensor that reports several metrics, a reading of another
 * metric interrupts a run.
 */
public final class ThresholdRule {
    public static final String NAME = "threshold";
    static final String ABOVE = "above";

    private ThresholdRule() {}

    public static Pattern<SensorReading, SensorReading> pattern(SensorRules rules) {
        TreeMap<String, Double> limits = new TreeMap<>(rules.thresholds());
        // After a match, start over behind it: one alert per run of `count` readings.
        return Pattern.<SensorReading>begin(ABOVE, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(r -> isAbove(limits, r)))
                .times(rules.thresholdCount())
                .consecutive()
                .within(rules.thresholdWindow());
    }

    static boolean isAbove(Map<String, Double> limits, SensorReading r) {
        Double limit = limits.get(r.metric);
        return limit != null && r.value > limit;
    }

    public static SingleOutputStreamOperator<Alert> detect(
            KeyedStream<SensorReading, String> sensors, SensorRules rules) {
        return CEP.pattern(sensors, pattern(rules))
                .inEventTime()
                .sideOutputLateData(SensorMonitoringJob.LATE_READINGS)
                .process(new ToAlert(rules), Types.POJO(Alert.class));
    }

    /** Turns a match into an alert with the readings as evidence, in event-time order. */
    static final class ToAlert extends PatternProcessFunction<SensorReading, Alert> {
        private final TreeMap<String, Double> limits;
        private final String window;

        ToAlert(SensorRules rules) {
            this.limits = new TreeMap<>(rules.thresholds());
            this.window = rules.thresholdWindow().toString();
        }

        @Override
        public void processMatch(
                Map<String, List<SensorReading>> match, Context ctx, Collector<Alert> out) {
            List<SensorReading> above = match.get(ABOVE);
            SensorReading last = above.get(above.size() - 1);
            double peak = above.stream().mapToDouble(r -> r.value).max().orElse(last.value);
            out.collect(
                    new Alert(
                            NAME,
                            last.sensorId,
                            above.stream().map(r -> r.eventId).toList(),
                            above.size()
                                    + " consecutive "
                                    + last.metric
                                    + " readings above "
                                    + limits.get(last.metric)
                                    + " "
                                    + last.unit
                                    + " within "
                                    + window
                                    + " (peak "
                                    + peak
                                    + ")",
                            last.eventTime,
                            System.currentTimeMillis()));
        }
    }
}
