package dev.tideway.jobs.sensors;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.support.EventTimeOrderedFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Silence: a sensor that has reported before sends nothing for longer than {@code timeout} (event
 * time) raises a {@value #SILENCE} alert naming its last reading; its next reading raises a {@value
 * #RECOVERED} alert naming that reading.
 *
 * <p>Readings are handled in event-time order, interleaved with the silence timers, so the result
 * does not depend on how far the watermark jumps at once (a fast replay moves it by minutes).
 *
 * <p>State, per sensor: one small status (last reading's id and time). After a silence alert only
 * that marker remains, for {@code retention}; then it is dropped, and a sensor that comes back
 * later is treated as new (no recovered alert). At the end of a bounded input (watermark at its
 * maximum) a sensor is not reported silent unless it reported again later: the input ended, not the
 * sensor.
 */
public class SilenceRule extends EventTimeOrderedFunction<String, SensorReading, Alert> {
    public static final String SILENCE = "silence";
    public static final String RECOVERED = "recovered";

    private final long timeoutMillis;
    private final long retentionMillis;
    private transient ValueState<Status> status;

    public SilenceRule(SensorRules rules) {
        super(Types.POJO(SensorReading.class), SensorMonitoringJob.LATE_READINGS);
        this.timeoutMillis = rules.silenceTimeout().toMillis();
        this.retentionMillis = rules.silenceRetention().toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        status =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("status", Types.POJO(Status.class)));
    }

    @Override
    public void processElement(SensorReading r, Context ctx, Collector<Alert> out)
            throws Exception {
        boolean onTime = ctx.timestamp() > ctx.timerService().currentWatermark();
        super.processElement(r, ctx, out);
        if (onTime) {
            // Remembered on arrival: tells an ended input from a silent sensor (see onOwnTimer).
            Status s = current();
            s.latestArrival = Math.max(s.latestArrival, ctx.timestamp());
            status.update(s);
        }
    }

    @Override
    protected void processInOrder(
            SensorReading r, long eventTime, Context ctx, Collector<Alert> out) throws Exception {
        Status s = current();
        if (s.silentSince != 0) {
            out.collect(
                    new Alert(
                            RECOVERED,
                            r.sensorId,
                            List.of(r.eventId),
                            "reported again after being silent since "
                                    + Instant.ofEpochMilli(s.lastEventTime),
                            eventTime,
                            System.currentTimeMillis()));
            s.silentSince = 0;
        }
        s.lastEventId = r.eventId;
        s.lastEventTime = eventTime;
        status.update(s);
        // Earlier silence timers are not deleted (the base class may own a timer at the same
        // instant); they find a newer reading when they fire and do nothing.
        ctx.timerService().registerEventTimeTimer(eventTime + timeoutMillis);
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        Status s = status.value();
        if (s == null || s.lastEventId == null) {
            return;
        }
        if (s.silentSince == 0 && timestamp == s.lastEventTime + timeoutMillis) {
            boolean inputEnded = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
            if (inputEnded && s.latestArrival <= s.lastEventTime) {
                status.clear();
                return;
            }
            out.collect(
                    new Alert(
                            SILENCE,
                            ctx.getCurrentKey(),
                            List.of(s.lastEventId),
                            "no reading for more than "
                                    + Duration.ofMillis(timeoutMillis)
                                    + " after "
                                    + Instant.ofEpochMilli(s.lastEventTime),
                            timestamp,
                            System.currentTimeMillis()));
            s.silentSince = timestamp;
            status.update(s);
            ctx.timerService().registerEventTimeTimer(timestamp + retentionMillis);
        } else if (s.silentSince != 0 && timestamp == s.silentSince + retentionMillis) {
            status.clear();
        }
    }

    private Status current() throws Exception {
        Status s = status.value();
        return s != null ? s : new Status();
    }

    /** What the rule remembers of one sensor. A Flink POJO. */
    public static class Status {
        /** Id of the last reading handled in event-time order; null before the first one. */
        public String lastEventId;

        public long lastEventTime;

        /** Event time of the silence alert, 0 while the sensor is reporting. */
        public long silentSince;

        /** Newest event time received, handled or still waiting for the watermark. */
        public long latestArrival;

        public Status() {}
    }
}
