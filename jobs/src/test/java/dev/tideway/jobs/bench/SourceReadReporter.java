package dev.tideway.jobs.bench;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Counts the records the job's input source has read, in the job's own JVM, so that a bench run can
 * tell its sustained rate (the middle of the topic) from its net runtime, which also holds the
 * job's start and the wait for its final checkpoint. It watches the standard operator metric {@code
 * numRecordsOut} of the source operator named in its {@value #OPERATOR} property, on every subtask.
 */
public final class SourceReadReporter implements MetricReporter {
    /**
     * Reporter property: the source operator's name as Flink reports it, such as "Source: kafka:
     * bench-transactions".
     */
    static final String OPERATOR = "operator";

    /** The reporter's name in the Flink configuration ({@code metrics.reporter.NAME.*}). */
    static final String NAME = "bench-source-read";

    private static final List<Counter> READ = new CopyOnWriteArrayList<>();

    private final String operator;

    private SourceReadReporter(String operator) {
        this.operator = operator;
    }

    /** Records read so far by all subtasks of the source. */
    static long recordsRead() {
        long sum = 0;
        for (Counter counter : READ) {
            sum += counter.getCount();
        }
        return sum;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        // Flink names a source operator "Source: " and the name the job gave it.
        if ("numRecordsOut".equals(metricName)
                && metric instanceof Counter counter
                && operator.equals(group.getAllVariables().get("<operator_name>"))) {
            READ.add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // Kept: a finished source's count still belongs to the run.
    }

    /** Named in {@code metrics.reporter.NAME.factory.class}; Flink finds it by ServiceLoader. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SourceReadReporter(properties.getProperty(OPERATOR));
        }
    }
}
