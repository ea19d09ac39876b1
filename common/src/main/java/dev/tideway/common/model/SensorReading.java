package dev.tideway.common.model;

import java.util.Objects;

/** One measurement from an IoT sensor. A Flink POJO. */
public class SensorReading {
    public String eventId;
    public String sensorId;
    public String site;

    /** What is measured, such as temperature or pressure. */
    public String metric;

    public double value;

    /** Unit of {@link #value}, such as celsius or kPa. */
    public String unit;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    public SensorReading() {}

    public SensorReading(
            String eventId,
            String sensorId,
            String site,
            String metric,
            double value,
            String unit,
            long eventTime) {
        this.eventId = eventId;
        this.sensorId = sensorId;
        this.site = site;
        this.metric = metric;
        this.value = value;
        this.unit = unit;
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SensorReading)) {
            return false;
        }
        SensorReading r = (SensorReading) o;
        return Double.compare(value, r.value) == 0
                && eventTime == r.eventTime
                && Objects.equals(eventId, r.eventId)
                && Objects.equals(sensorId, r.sensorId)
                && Objects.equals(site, r.site)
                && Objects.equals(metric, r.metric)
                && Objects.equals(unit, r.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, sensorId, eventTime);
    }

    @Override
    public String toString() {
        return "SensorReading{"
                + eventId
                + ", sensor="
                + sensorId
                + ", "
                + metric
                + "="
                + value
                + " "
                + unit
                + ", t="
                + eventTime
                + '}';
    }
}
