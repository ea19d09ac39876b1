package dev.tideway.jobs.support;

import dev.tideway.common.codec.EventCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Passes results through on their way to the sink, counting them and measuring event-to-output
 * latency: wall-clock time now minus the result's event time, in milliseconds. For live traffic
 * that is how long an event took to become an alert (the sink's commit comes on top, one checkpoint
 * interval at most for exactly-once); for replayed history it is the replay's lag.
 */
public class ResultMetrics<T> extends RichMapFunction<T, T> {
    /** Enough samples for stable p99s without holding much memory. */
    private static final int HISTOGRAM_WINDOW = 10_000;

    private final String name;
    private final EventCodec<T> codec;
    private transient Counter results;
    private transient Histogram latency;

    /**
     * @param name metric prefix: {@code <name>} counts, {@code <name>LatencyMs} is the histogram
     */
    public ResultMetrics(String name, EventCodec<T> codec) {
        this.name = name;
        this.codec = codec;
    }

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        results = metrics.counter(name);
        latency =
                metrics.histogram(
                        name + "LatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    @Override
    public T map(T result) {
        results.inc();
        latency.update(Math.max(0, System.currentTimeMillis() - codec.eventTimeOf(result)));
        return result;
    }
}
