package dev.tideway.jobs.sensors;

import dev.tideway.common.model.SensorReading;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Count, min, max and mean per sensor, metric and unit in a tumbling window. The window is keyed by
 * sensor (the same keying as the rules, so all of them share one watermark; see {@link LateGate});
 * the accumulator keeps one running summary per metric and unit of the sensor, so a window's state
 * is a few numbers per metric, never the readings.
 */
public final class WindowAggregates {

    private WindowAggregates() {}

    /** The accumulator's type: metric and unit, to running summary. */
    public static TypeInformation<Map<String, MetricStats>> accumulatorType() {
        return Types.MAP(Types.STRING, Types.POJO(MetricStats.class));
    }

    /** Adds readings into the running summaries. */
    public static final class Summarize
            implements AggregateFunction<
                    SensorReading, Map<String, MetricStats>, Map<String, MetricStats>> {

        @Override
        public Map<String, MetricStats> createAccumulator() {
            return new HashMap<>();
        }

        @Override
        public Map<String, MetricStats> add(SensorReading r, Map<String, MetricStats> acc) {
            // Readings of one metric in two units must not be averaged together.
            acc.computeIfAbsent(r.metric + '\u0000' + r.unit, k -> new MetricStats(r)).add(r.value);
            return acc;
        }

        @Override
        public Map<String, MetricStats> getResult(Map<String, MetricStats> acc) {
            return acc;
        }

        @Override
        public Map<String, MetricStats> merge(
                Map<String, MetricStats> a, Map<String, MetricStats> b) {
            b.forEach((k, stats) -> a.merge(k, stats, MetricStats::combine));
            return a;
        }
    }

    /** One aggregate per metric and unit, stamped with the window's bounds. */
    public static final class Emit
            extends ProcessWindowFunction<
                    Map<String, MetricStats>, SensorAggregate, String, TimeWindow> {

        @Override
        public void process(
                String sensorId,
                Context ctx,
                Iterable<Map<String, MetricStats>> summaries,
                Collector<SensorAggregate> out) {
            TimeWindow window = ctx.window();
            for (Map<String, MetricStats> byMetric : summaries) {
                // Sorted, so output order does not depend on hashing.
                for (MetricStats s : new TreeMap<>(byMetric).values()) {
                    out.collect(
                            new SensorAggregate(
                                    sensorId,
                                    s.site,
                                    s.metric,
                                    s.unit,
                                    window.getStart(),
                                    window.getEnd(),
                                    s.count,
                                    s.min,
                                    s.max,
                                    s.sum / s.count));
                }
            }
        }
    }

    /** Running summary of one metric of one sensor. A Flink POJO. */
    public static class MetricStats {
        public String site;
        public String metric;
        public String unit;
        public long count;
        public double min = Double.POSITIVE_INFINITY;
        public double max = Double.NEGATIVE_INFINITY;
        public double sum;

        public MetricStats() {}

        MetricStats(SensorReading first) {
            this.site = first.site;
            this.metric = first.metric;
            this.unit = first.unit;
        }

        void add(double value) {
            count++;
            min = Math.min(min, value);
            max = Math.max(max, value);
            sum += value;
        }

        static MetricStats combine(MetricStats a, MetricStats b) {
            a.count += b.count;
            a.min = Math.min(a.min, b.min);
            a.max = Math.max(a.max, b.max);
            a.sum += b.sum;
            return a;
        }
    }
}
