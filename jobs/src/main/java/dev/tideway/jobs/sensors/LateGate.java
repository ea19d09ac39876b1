package dev.tideway.jobs.sensors;

import dev.tideway.common.model.SensorReading;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one place that decides whether a reading is late for the windows and rules: a reading at or
 * behind the watermark goes to {@link SensorMonitoringJob#LATE_READINGS}. The window and every rule
 * sit directly behind it on the same keyed partitions (no shuffle in between), so they see exactly
 * its watermark: a reading that passes the gate is on time for all of them, and a late reading
 * becomes one late record, not one per operator that would have dropped it.
 *
 * <p>The source already takes out readings behind their own partition's watermark. What still
 * arrives late here comes from a partition that was idle while the others moved time on: when it
 * speaks again, its old readings are behind the job's watermark. Stateless.
 */
public class LateGate extends KeyedProcessFunction<String, SensorReading, SensorReading> {

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<SensorReading> out) {
        if (ctx.timestamp() <= ctx.timerService().currentWatermark()) {
            ctx.output(SensorMonitoringJob.LATE_READINGS, reading);
            return;
        }
        out.collect(reading);
    }
}
