package dev.tideway.jobs.sensors;

import static dev.tideway.jobs.sensors.Readings.at;
import static dev.tideway.jobs.sensors.Readings.min;
import static dev.tideway.jobs.sensors.Readings.pressure;
import static dev.tideway.jobs.sensors.Readings.sec;
import static dev.tideway.jobs.sensors.Readings.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults: 5 previous readings, factor 0.5, memory 10 minutes. */
class JumpRuleTest {
    private static final SensorRules RULES = SensorRules.defaults();

    private static List<SensorReading> steady(String sensor, double level, int n, long from) {
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            readings.add(
                    temperature(sensor + "-" + i, sensor, level + (i % 2) * 0.2, from + sec(i)));
        }
        return readings;
    }

    @Test
    void aDropFarFromTheRecentMeanIsReportedOnceEvenWhenOutOfOrder() throws Exception {
        try (var h = SensorHarness.jump(RULES)) {
            List<SensorReading> readings = steady("s1", 60, 8, at(0));
            // The drop at 5 s arrives before the readings around it.
            SensorReading drop = temperature("drop", "s1", 12, at(sec(5) + 500));
            h.send(drop);
            h.send(readings.toArray(SensorReading[]::new));
            h.watermark(at(min(1)));

            List<Alert> alerts = h.alerts();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).rule).isEqualTo("jump");
            assertThat(alerts.get(0).key).isEqualTo("s1");
            assertThat(alerts.get(0).evidence).containsExactly("drop");
            assertThat(alerts.get(0).detail).contains("temperature jumped to 12.0 celsius");
        }
    }

    @Test
    void noJudgementBeforeEnoughHistoryAndALastingLevelShiftAlertsOnce() throws Exception {
        try (var h = SensorHarness.jump(RULES)) {
            // Only 4 readings before the step: too little history to judge.
            h.send(steady("young", 60, 4, at(0)).toArray(SensorReading[]::new));
            h.send(temperature("young-step", "young", 5, at(sec(4))));
            // A lasting step from 60 to 200: the first reading alerts, the history restarts there.
            h.send(steady("s2", 60, 5, at(0)).toArray(SensorReading[]::new));
            for (int i = 0; i < 10; i++) {
                h.send(temperature("up-" + i, "s2", 200, at(sec(5 + i))));
            }
            // Another metric of the same sensor has a history of its own.
            h.send(
                    pressure("p-0", "s2", 300, at(sec(30))),
                    pressure("p-1", "s2", 310, at(sec(31))));
            h.watermark(at(min(1)));

            assertThat(h.alerts()).extracting(a -> a.evidence.get(0)).containsExactly("up-0");
        }
    }

    @Test
    void stateAndTimersGoBackToZeroForQuietSensors() throws Exception {
        try (var h = SensorHarness.jump(RULES)) {
            h.send(steady("s1", 60, 6, at(0)).toArray(SensorReading[]::new));
            h.send(pressure("p", "s1", 300, at(sec(3))));
            h.send(steady("s2", 20, 2, at(min(2))).toArray(SensorReading[]::new));
            h.watermark(at(min(5)));
            assertThat(h.stateEntries()).isPositive();

            h.watermark(at(min(12) + sec(10)));

            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
            assertThat(h.alerts()).isEmpty();
        }
    }
}
