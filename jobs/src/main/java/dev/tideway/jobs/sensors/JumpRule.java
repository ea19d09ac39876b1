package dev.tideway.jobs.sensors;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.support.EventTimeOrderedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Jump: a reading that lies more than {@code factor * |mean|} away from the mean of the sensor's
 * previous {@code readings} readings of the same metric, up or down: a sudden step that no real
 * process makes, typically a failing sensor or a broken part. After an alert the history restarts
 * at the jumped reading, so a lasting level shift alerts once. Relative to the recent level, so one
 * factor fits metrics of any unit and magnitude (it is not meant for metrics that hover around 0).
 *
 * <p>Readings are judged in event-time order (out-of-order input within the watermark bound is
 * exact). State: the last {@code readings} values per metric of the sensor; a metric without a
 * reading for {@code memory} is forgotten, so a sensor that goes quiet leaves nothing behind.
 */
public class JumpRule extends EventTimeOrderedFunction<String, SensorReading, Alert> {
    public static final String NAME = "jump";

    private final int readings;
    private final double factor;
    private final long memoryMillis;
    private transient MapState<String, Recent> recentByMetric;

    public JumpRule(SensorRules rules) {
        super(Types.POJO(SensorReading.class), SensorMonitoringJob.LATE_READINGS);
        this.readings = rules.jumpReadings();
        this.factor = rules.jumpFactor();
        this.memoryMillis = rules.jumpMemory().toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        recentByMetric =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "recent-values", Types.STRING, Types.POJO(Recent.class)));
    }

    @Override
    protected void processInOrder(
            SensorReading r, long eventTime, Context ctx, Collector<Alert> out) throws Exception {
        String metric = r.metric + '\u0000' + r.unit;
        Recent recent = recentByMetric.get(metric);
        if (recent == null) {
            recent = new Recent();
        }
        if (recent.values.size() >= readings) {
            double mean =
                    recent.values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            if (Math.abs(r.value - mean) > factor * Math.abs(mean)) {
                out.collect(alert(r, mean));
                // The history restarts at the jump: a lasting level shift alerts once, and the
                // return from a spike is judged only against readings after it.
                recent.values.clear();
            }
        }
        recent.values.add(r.value);
        if (recent.values.size() > readings) {
            recent.values.remove(0);
        }
        recent.lastEventTime = eventTime;
        recentByMetric.put(metric, recent);
        // Never deleted (the base class may own a timer at the same instant); checked on firing.
        ctx.timerService().registerEventTimeTimer(eventTime + memoryMillis);
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, Recent> e : recentByMetric.entries()) {
            if (e.getValue().lastEventTime + memoryMillis <= timestamp) {
                forgotten.add(e.getKey());
            }
        }
        // remove(key), not the iterator's remove: only it drops the sensor's entry when empty.
        for (String metric : forgotten) {
            recentByMetric.remove(metric);
        }
    }

    private Alert alert(SensorReading r, double mean) {
        return new Alert(
                NAME,
                r.sensorId,
                List.of(r.eventId),
                r.metric
                        + " jumped to "
                        + r.value
                        + " "
                        + r.unit
                        + " from a mean of "
                        + mean
                        + " over the last "
                        + readings
                        + " readings (more than "
                        + factor
                        + " x the mean away)",
                r.eventTime,
                System.currentTimeMillis());
    }

    /** The last values of one metric of a sensor, oldest first. A Flink POJO. */
    public static class Recent {
        public List<Double> values = new ArrayList<>();
        public long lastEventTime;

        public Recent() {}
    }
}
