package dev.tideway.jobs.sensors;

import java.util.Objects;

/**
 * Count, min, max and mean of one sensor's readings of one metric (and unit) in one tumbling
 * event-time window [windowStart, windowEnd). A Flink POJO.
 */
public class SensorAggregate {
    public String sensorId;
    public String site;
    public String metric;
    public String unit;

    /** Inclusive start of the window, epoch milliseconds. */
    public long windowStart;

    /** Exclusive end of the window, epoch milliseconds. */
    public long windowEnd;

    public long count;
    public double min;
    public double max;
    public double mean;

    public SensorAggregate() {}

    public SensorAggregate(
            String sensorId,
            String site,
            String metric,
            String unit,
            long windowStart,
            long windowEnd,
            long count,
            double min,
            double max,
            double mean) {
        this.sensorId = sensorId;
        this.site = site;
        this.metric = metric;
        this.unit = unit;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.count = count;
        this.min = min;
        this.max = max;
        this.mean = mean;
    }

    /** The latest event time the window covers: what partitions files and stamps Kafka records. */
    public long eventTime() {
        return windowEnd - 1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SensorAggregate)) {
            return false;
        }
        SensorAggregate a = (SensorAggregate) o;
        return windowStart == a.windowStart
                && windowEnd == a.windowEnd
                && count == a.count
                && Double.compare(min, a.min) == 0
                && Double.compare(max, a.max) == 0
                && Double.compare(mean, a.mean) == 0
                && Objects.equals(sensorId, a.sensorId)
                && Objects.equals(site, a.site)
                && Objects.equals(metric, a.metric)
                && Objects.equals(unit, a.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sensorId, metric, unit, windowStart);
    }

    @Override
    public String toString() {
        return "SensorAggregate{"
                + sensorId
                + ", "
                + metric
                + " ["
                + unit
                + "], ["
                + windowStart
                + ", "
                + windowEnd
                + "), n="
                + count
                + ", min="
                + min
                + ", max="
                + max
                + ", mean="
                + mean
                + '}';
    }
}
