package dev.tideway.jobs.testing;

import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** A job's metrics as an {@link InMemoryReporter} kept them, summed over subtasks and attempts. */
public final class JobMetrics {

    /** The named counter of every operator subtask of the job, whichever attempt, summed. */
    public static long counter(InMemoryReporter metrics, JobID job, String name) {
        return metricsOfJob(metrics, job, name)
                .filter(m -> m instanceof Counter)
                .mapToLong(m -> ((Counter) m).getCount())
                .sum();
    }

    /** How many values the named histograms of the job recorded, summed. */
    public static long histogramCount(InMemoryReporter metrics, JobID job, String name) {
        return metricsOfJob(metrics, job, name)
                .filter(m -> m instanceof Histogram)
                .mapToLong(m -> ((Histogram) m).getCount())
                .sum();
    }

    /** The largest value of the job's named gauge (such as numRestarts), or -1 if none. */
    public static long gauge(InMemoryReporter metrics, JobID job, String name) {
        return metricsOfJob(metrics, job, name)
                .filter(m -> m instanceof org.apache.flink.metrics.Gauge)
                .mapToLong(
                        m ->
                                ((Number) ((org.apache.flink.metrics.Gauge<?>) m).getValue())
                                        .longValue())
                .max()
                .orElse(-1);
    }

    private static Stream<Metric> metricsOfJob(InMemoryReporter metrics, JobID job, String name) {
        return metrics.getMetricsByGroup().entrySet().stream()
                .filter(e -> job.toString().equals(e.getKey().getAllVariables().get("<job_id>")))
                .map(e -> e.getValue().get(name));
    }

    private JobMetrics() {}
}
