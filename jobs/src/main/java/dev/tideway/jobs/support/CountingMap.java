package dev.tideway.jobs.support;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/** Passes records through and counts them in a metric (results out, for example). */
public class CountingMap<T> extends RichMapFunction<T, T> {
    private final String metricName;
    private transient Counter counter;

    public CountingMap(String metricName) {
        this.metricName = metricName;
    }

    @Override
    public void open(OpenContext openContext) {
        counter = getRuntimeContext().getMetricGroup().counter(metricName);
    }

    @Override
    public T map(T value) {
        counter.inc();
        return value;
    }
}
