package dev.tideway.jobs.bench;

import dev.tideway.rules.engine.RuleEngineOperator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The bench's view of a job's standard Flink metrics, in the job's own JVM. It counts the records
 * the job's input source has read, so that a bench run can tell its sustained rate (the middle of
 * the topic) from its net runtime, which also holds the job's start and the wait for its final
 * checkpoint: the operator metric {@code numRecordsOut} of the source operator named in its {@value
 * #OPERATOR} property, on every subtask. And it keeps each task's share of busy, backpressured and
 * idle time ({@link TaskTimes}), which tells which task holds the job back.
 */
public final class JobMetricsReporter implements MetricReporter {
    /**
     * Reporter property: the source operator's name as Flink reports it, such as "Source: kafka:
     * bench-transactions".
     */
    static final String OPERATOR = "operator";

    /** The reporter's name in the Flink configuration ({@code metrics.reporter.NAME.*}). */
    static final String NAME = "bench-job-metrics";

    private static final List<Counter> READ = new CopyOnWriteArrayList<>();

    /** Per task ("first operator of its chain (subtask)"): busy, backpressured, idle gauges. */
    private static final Map<String, Gauge<?>[]> TASK_TIMES = new ConcurrentSkipListMap<>();

    /** The rules engine's gauges of what it holds, of every engine subtask. */
    private static final List<Gauge<?>> WAITING = new CopyOnWriteArrayList<>();

    private static final List<Gauge<?>> LAG = new CopyOnWriteArrayList<>();

    private static final List<String> TIME_METRICS =
            List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond");

    private final String operator;

    private JobMetricsReporter(String operator) {
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

    /** Each task's busy, backpressured and idle milliseconds in the last second, by task. */
    static Map<String, long[]> taskTimes() {
        Map<String, long[]> now = new TreeMap<>();
        TASK_TIMES.forEach(
                (task, gauges) -> {
                    long[] ms = new long[gauges.length];
                    for (int i = 0; i < gauges.length; i++) {
                        ms[i] = gauges[i] == null ? 0 : value(gauges[i]);
                    }
                    now.put(task, ms);
                });
        return now;
    }

    /** Events the rules engine's subtasks hold for the watermark (0 without an engine). */
    static long engineEventsWaiting() {
        return WAITING.stream().mapToLong(JobMetricsReporter::value).sum();
    }

    /** The largest event-time lag behind the newest event of the engine's subtasks, in ms. */
    static long engineLagMillis() {
        return LAG.stream().mapToLong(JobMetricsReporter::value).max().orElse(0);
    }

    private static long value(Gauge<?> gauge) {
        return gauge.getValue() instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        int time = TIME_METRICS.indexOf(metricName);
        if (time >= 0 && metric instanceof Gauge<?> gauge) {
            String task = String.valueOf(vars.get("<task_name>")).split(" -> ")[0];
            String key = task + " (" + vars.get("<subtask_index>") + ")";
            TASK_TIMES.computeIfAbsent(key, k -> new Gauge<?>[TIME_METRICS.size()])[time] = gauge;
        }
        if (RuleEngineOperator.EVENTS_WAITING_METRIC.equals(metricName)
                && metric instanceof Gauge<?> g) {
            WAITING.add(g);
        }
        if (RuleEngineOperator.WATERMARK_LAG_METRIC.equals(metricName)
                && metric instanceof Gauge<?> g) {
            LAG.add(g);
        }
        // Flink names a source operator "Source: " and the name the job gave it.
        if ("numRecordsOut".equals(metricName)
                && metric instanceof Counter counter
                && operator.equals(vars.get("<operator_name>"))) {
            READ.add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // The read counts are kept: a finished source's count still belongs to the run. An engine
        // that a restart replaced holds nothing any more.
        WAITING.remove(metric);
        LAG.remove(metric);
    }

    /** Named in {@code metrics.reporter.NAME.factory.class}; Flink finds it by ServiceLoader. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new JobMetricsReporter(properties.getProperty(OPERATOR));
        }
    }
}
