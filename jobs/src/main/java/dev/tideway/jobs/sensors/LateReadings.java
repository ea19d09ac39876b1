package dev.tideway.jobs.sensors;

import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.support.LateEventToDeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * A reading found late behind the source (at the late gate, a window or the CEP rule) as a
 * late-topic record, counted in {@code tidewayLateEvents} like the late readings the source itself
 * takes out.
 */
public class LateReadings extends RichMapFunction<SensorReading, DeadLetter> {
    private final LateEventToDeadLetter<SensorReading> toDeadLetter =
            new LateEventToDeadLetter<>(new SensorReadingCodec());
    private transient Counter lateEvents;

    @Override
    public void open(OpenContext openContext) {
        lateEvents = getRuntimeContext().getMetricGroup().counter("tidewayLateEvents");
    }

    @Override
    public DeadLetter map(SensorReading reading) {
        lateEvents.inc();
        return toDeadLetter.map(reading);
    }
}
