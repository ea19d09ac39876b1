package dev.tideway.jobs.sensors;

import static dev.tideway.jobs.sensors.Readings.at;
import static dev.tideway.jobs.sensors.Readings.sec;
import static dev.tideway.jobs.sensors.Readings.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.SensorReading;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LateGateTest {

    @Test
    void readingsAtOrBehindTheWatermarkGoToTheLateOutputAndNothingIsKept() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new LateGate()),
                        (SensorReading r) -> r.sensorId,
                        Types.STRING)) {
            h.open();
            h.processWatermark(at(sec(10)));
            for (SensorReading r :
                    new SensorReading[] {
                        temperature("on-time", "s1", 20, at(sec(11))),
                        temperature("at-watermark", "s1", 20, at(sec(10))),
                        temperature("behind", "s2", 20, at(sec(3)))
                    }) {
                h.processElement(r, r.eventTime);
            }

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.eventId)
                    .containsExactly("on-time");
            assertThat(h.getSideOutput(SensorMonitoringJob.LATE_READINGS))
                    .extracting(StreamRecord::getValue)
                    .extracting(r -> r.eventId)
                    .containsExactly("at-watermark", "behind");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
