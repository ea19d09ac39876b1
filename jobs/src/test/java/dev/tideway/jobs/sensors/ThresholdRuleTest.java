package dev.tideway.jobs.sensors;

import static dev.tideway.jobs.sensors.Readings.at;
import static dev.tideway.jobs.sensors.Readings.min;
import static dev.tideway.jobs.sensors.Readings.pressure;
import static dev.tideway.jobs.sensors.Readings.sec;
import static dev.tideway.jobs.sensors.Readings.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules-engine operator the job runs the threshold rule on. Defaults: temperature above 80,
 * pressure above 400, 3 consecutive readings within 1 minute.
 */
class ThresholdRuleTest {
    private static final SensorRules RULES = SensorRules.defaults();

    @Test
    void theRuleIsOneConditionJoiningTheMetricsLimits() {
        var rule = ThresholdRule.definition(RULES);
        assertThat(rule.id()).isEqualTo("threshold");
        assertThat(rule.key()).isEqualTo("sensorId");
        assertThat(rule.within()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(rule.steps())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.where())
                                    .isEqualTo(
                                            "(metric == 'humidity' and value > 90)"
                                                    + " or (metric == 'pressure' and value > 400)"
                                                    + " or (metric == 'temperature' and value > 80)"
                                                    + " or (metric == 'vibration' and value > 12)");
                            assertThat(s.times()).isEqualTo(3);
                            assertThat(s.contiguity())
                                    .isEqualTo(dev.tideway.rules.language.Contiguity.NEXT);
                        });
        assertThat(ThresholdRule.condition(java.util.Map.of())).isEqualTo("false");
        assertThat(ThresholdRule.condition(java.util.Map.of("t", -2.5)))
                .isEqualTo("(metric == 't' and value > -2.5)");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ThresholdRule.condition(java.util.Map.of("it's", 1.0)))
                .hasMessageContaining("tideway.sensors.threshold.limits");
    }

    @Test
    void threeConsecutiveReadingsAboveTheLimitAreReportedOnceEvenWhenOutOfOrder() throws Exception {
        try (var h = SensorHarness.threshold(RULES)) {
            h.send(
                    temperature("n1", "s1", 70.0, at(sec(0))),
                    temperature("h2", "s1", 82.0, at(sec(20))),
                    temperature("h1", "s1", 81.0, at(sec(10))),
                    temperature("h3", "s1", 85.5, at(sec(30))),
                    temperature("h4", "s1", 83.0, at(sec(40))),
                    temperature("n2", "s1", 70.0, at(sec(50))));
            h.watermark(at(min(5)));

            List<Alert> alerts = h.alerts();
            assertThat(alerts).hasSize(1);
            Alert alert = alerts.get(0);
            assertThat(alert.rule).isEqualTo("threshold");
            assertThat(alert.key).isEqualTo("s1");
            assertThat(alert.evidence).containsExactly("h1", "h2", "h3");
            assertThat(alert.eventTime).isEqualTo(at(sec(30)));
            assertThat(alert.detail)
                    .isEqualTo(
                            "3 consecutive readings above their metric's limit within PT1M, the"
                                    + " last temperature 85.5 celsius (limits: humidity 90,"
                                    + " pressure 400, temperature 80, vibration 12)");
        }
    }

    @Test
    void aNormalReadingBetweenBreaksTheRunAndSlowRunsOrUncheckedMetricsAreNotReported()
            throws Exception {
        try (var h = SensorHarness.threshold(RULES)) {
            h.send(
                    // Interrupted run.
                    temperature("a1", "s1", 90, at(sec(0))),
                    temperature("a2", "s1", 90, at(sec(10))),
                    temperature("a3", "s1", 79.9, at(sec(20))),
                    temperature("a4", "s1", 90, at(sec(30))),
                    // Too slow: first to last more than a minute.
                    temperature("b1", "s2", 90, at(sec(0))),
                    temperature("b2", "s2", 90, at(sec(40))),
                    temperature("b3", "s2", 90, at(sec(80))),
                    // Exactly at the limit is not above it.
                    temperature("c1", "s3", 80, at(sec(0))),
                    temperature("c2", "s3", 80, at(sec(1))),
                    temperature("c3", "s3", 80, at(sec(2))),
                    // A metric without a limit.
                    new dev.tideway.common.model.SensorReading(
                            "d1", "s4", "plant-a", "noise", 1e6, "dB", at(sec(0))),
                    new dev.tideway.common.model.SensorReading(
                            "d2", "s4", "plant-a", "noise", 1e6, "dB", at(sec(1))),
                    new dev.tideway.common.model.SensorReading(
                            "d3", "s4", "plant-a", "noise", 1e6, "dB", at(sec(2))),
                    // Pressure below its own limit (400), though above temperature's.
                    pressure("p1", "s5", 390, at(sec(0))),
                    pressure("p2", "s5", 390, at(sec(1))),
                    pressure("p3", "s5", 390, at(sec(2))));
            h.watermark(at(min(10)));

            assertThat(h.alerts()).isEmpty();
        }
    }

    @Test
    void stateAndTimersGoBackToZeroForQuietSensorsIncludingPartialMatches() throws Exception {
        try (var h = SensorHarness.threshold(RULES)) {
            h.send(
                    // A completed run ...
                    temperature("h1", "s1", 90, at(sec(0))),
                    temperature("h2", "s1", 90, at(sec(1))),
                    temperature("h3", "s1", 90, at(sec(2))),
                    // ... partial matches of two readings that never complete ...
                    temperature("p1", "s2", 90, at(sec(0))),
                    temperature("p2", "s2", 90, at(sec(1))),
                    pressure("q1", "s3", 401, at(sec(3))),
                    // ... and a reading that matches nothing, waiting for the watermark.
                    temperature("n1", "s4", 20, at(sec(5))));
            h.watermark(at(sec(4)));
            assertThat(h.alerts()).hasSize(1);
            assertThat(h.stateEntries())
                    .as("the partial runs of s2 and s3, and n1 waiting (a snapshot writes it)")
                    .isEqualTo(3);
            assertThat(h.timers()).isPositive();

            h.watermark(at(min(30)));

            assertThat(h.alerts()).hasSize(1);
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();

            h.watermark(Long.MAX_VALUE);
            assertThat(h.alerts()).hasSize(1);
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
        }
    }

    @Test
    void readingsOfDifferentMetricsEachAboveTheirOwnLimitMakeOneRun() throws Exception {
        try (var h = SensorHarness.threshold(RULES)) {
            h.send(
                    temperature("t1", "s1", 81, at(sec(0))),
                    pressure("p1", "s1", 401, at(sec(1))),
                    temperature("t2", "s1", 81, at(sec(2))),
                    // s2: a pressure reading below its limit interrupts the temperature run.
                    temperature("u1", "s2", 81, at(sec(0))),
                    pressure("q1", "s2", 399, at(sec(1))),
                    temperature("u2", "s2", 81, at(sec(2))),
                    temperature("u3", "s2", 81, at(sec(3))));
            h.watermark(at(min(5)));

            assertThat(h.alerts())
                    .extracting(a -> a.key + " " + a.evidence)
                    .containsExactly("s1 [t1, p1, t2]");
        }
    }

    @Test
    void lateReadingsGoToTheLateOutput() throws Exception {
        try (var h = SensorHarness.threshold(RULES)) {
            h.watermark(at(sec(10)));
            h.send(
                    temperature("late", "s1", 90, at(sec(10))),
                    temperature("h1", "s1", 90, at(sec(11))),
                    temperature("h2", "s1", 90, at(sec(12))),
                    temperature("h3", "s1", 90, at(sec(13))));
            h.watermark(at(min(5)));

            assertThat(h.late()).containsExactly("late");
            assertThat(h.alerts())
                    .extracting(a -> a.evidence)
                    .containsExactly(List.of("h1", "h2", "h3"));
        }
    }
}
