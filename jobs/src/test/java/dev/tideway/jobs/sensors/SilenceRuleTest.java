package dev.tideway.jobs.sensors;

import static dev.tideway.jobs.sensors.Readings.at;
import static dev.tideway.jobs.sensors.Readings.min;
import static dev.tideway.jobs.sensors.Readings.sec;
import static dev.tideway.jobs.sensors.Readings.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timeout 1 minute, retention 1 hour. */
class SilenceRuleTest {
    private static final SensorRules RULES =
            new SensorRules(
                    Duration.ofMinutes(1),
                    SensorRules.defaults().thresholds(),
                    3,
                    Duration.ofMinutes(1),
                    5,
                    0.5,
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(1),
                    Duration.ofHours(1));

    @Test
    void aSilenceIsReportedAfterTheTimeoutAndTheNextReadingRecovers() throws Exception {
        try (var h = SensorHarness.silence(RULES)) {
            h.send(
                    temperature("a", "s1", 20, at(0)),
                    temperature("b", "s1", 20, at(sec(30))),
                    temperature("other", "s2", 20, at(sec(30))));
            h.watermark(at(sec(89)));
            assertThat(h.alerts()).isEmpty();

            // A reading at 90 s would still have counted; once the watermark passes it, none can.
            h.watermark(at(sec(90)));
            h.send(
                    // Out of order: "d" arrives first, but "c" is the first reading back.
                    temperature("d", "s1", 20, at(min(5) + sec(1))),
                    temperature("c", "s1", 20, at(min(5))));
            h.watermark(at(min(5) + sec(30)));

            List<Alert> alerts = h.alerts();
            assertThat(alerts)
                    .extracting(a -> a.rule + ":" + a.key + ":" + a.evidence)
                    .containsExactly("silence:s1:[b]", "silence:s2:[other]", "recovered:s1:[c]");
            assertThat(alerts.get(0).eventTime).isEqualTo(at(sec(90)));
            assertThat(alerts.get(2).eventTime).isEqualTo(at(min(5)));
        }
    }

    @Test
    void aGapOfExactlyTheTimeoutIsNoSilence() throws Exception {
        try (var h = SensorHarness.silence(RULES)) {
            h.send(temperature("a", "s1", 20, at(0)), temperature("b", "s1", 20, at(min(1))));
            h.watermark(at(min(1) + sec(59)));

            assertThat(h.alerts()).isEmpty();
        }
    }

    @Test
    void theEndOfABoundedInputIsNoSilenceButASilenceBeforeIsReportedExactly() throws Exception {
        try (var h = SensorHarness.silence(RULES)) {
            h.send(
                    temperature("a", "s1", 20, at(0)),
                    temperature("b", "s1", 20, at(min(3))),
                    temperature("c", "s1", 20, at(min(3) + sec(10))),
                    temperature("x", "s2", 20, at(min(3) + sec(10))));
            // The end of input: the watermark jumps from nothing to its maximum at once.
            h.watermark(Long.MAX_VALUE);

            assertThat(h.alerts())
                    .extracting(a -> a.rule + ":" + a.key + ":" + a.evidence)
                    .containsExactly("silence:s1:[a]", "recovered:s1:[b]");
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
        }
    }

    @Test
    void aSensorThatStaysSilentKeepsAMarkerForTheRetentionThenNothing() throws Exception {
        try (var h = SensorHarness.silence(RULES)) {
            h.send(temperature("a", "s1", 20, at(0)), temperature("b", "s2", 20, at(0)));
            h.watermark(at(min(2)));
            assertThat(h.alerts()).hasSize(2);
            assertThat(h.stateEntries()).as("one marker per silent sensor").isEqualTo(2);
            assertThat(h.timers()).as("one retention timer per silent sensor").isEqualTo(2);

            h.watermark(at(min(61)));

            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
            // Back after the retention: a new sensor, no recovered alert.
            h.send(temperature("c", "s1", 20, at(min(70))));
            h.watermark(at(min(70)));
            assertThat(h.alerts()).hasSize(2);
        }
    }
}
