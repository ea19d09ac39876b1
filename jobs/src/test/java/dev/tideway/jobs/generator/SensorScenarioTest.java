package dev.tideway.jobs.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.sensors.SensorHarness;
import dev.tideway.jobs.sensors.SensorRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SensorScenarioTest {
    private static final int N = 12_000;
    private static final Instant START = Instant.now().minus(Duration.ofHours(1));
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    static SensorScenario scenario(long seed, long count) {
        return new SensorScenario(
                seed,
                count,
                3,
                4,
                Duration.ofSeconds(1),
                0.08,
                2,
                3,
                TIMEOUT,
                0.2,
                Duration.ofSeconds(2),
                START,
                SensorRules.defaults().thresholds());
    }

    /** The job's defaults, with the scenario's silence timeout. */
    static SensorRules rules() {
        SensorRules d = SensorRules.defaults();
        return new SensorRules(
                d.window(),
                d.thresholds(),
                d.thresholdCount(),
                d.thresholdWindow(),
                d.jumpReadings(),
                d.jumpFactor(),
                d.jumpMemory(),
                TIMEOUT,
                d.silenceRetention());
    }

    @Test
    void sameSeedSameRecordsInAnyOrderOfAccess() {
        SensorScenario a = scenario(7, N), b = scenario(7, N), c = scenario(8, N);
        long[] shuffled = new SplittableRandom(1).longs(500, 0, N).toArray();
        for (long i : shuffled) {
            assertThat(b.record(i).value).isEqualTo(a.record(i).value);
        }
        int different = 0;
        for (long i = 0; i < 500; i++) {
            assertThat(b.record(i).value).isEqualTo(a.record(i).value);
            if (!Arrays.equals(a.record(i).value, c.record(i).value)) {
                different++;
            }
        }
        assertThat(different).isGreaterThan(400);
    }

    @Test
    void everyRecordIsAValidReadingKeyedBySensorWithItsIndexAsIdAndOutOfOrderWithinTheBound() {
        SensorScenario scenario = scenario(11, N);
        SensorReadingCodec codec = new SensorReadingCodec();
        long newest = Long.MIN_VALUE;
        int outOfOrder = 0;
        Map<String, Long> lastBySensor = new HashMap<>();
        long longestGap = 0;
        for (long i = 0; i < N; i++) {
            GeneratedRecord record = scenario.record(i);
            DecodeResult<SensorReading> decoded = codec.decode(record.value);
            assertThat(decoded.isValid()).as("record %d: %s", i, decoded).isTrue();
            SensorReading r = decoded.value();
            assertThat(r.eventId).isEqualTo("r-" + i);
            assertThat(new String(record.key, StandardCharsets.UTF_8)).isEqualTo(r.sensorId);
            if (r.eventTime < newest) {
                outOfOrder++;
                assertThat(newest - r.eventTime).isLessThanOrEqualTo(2_000);
            }
            newest = Math.max(newest, r.eventTime);
            Long last = lastBySensor.put(r.sensorId, r.eventTime);
            if (last != null) {
                longestGap = Math.max(longestGap, Math.abs(r.eventTime - last));
            }
        }
        assertThat(lastBySensor).hasSize(scenario.sensors());
        assertThat(outOfOrder).isGreaterThan(N / 20);
        assertThat(longestGap).as("silences exceed the timeout").isGreaterThan(TIMEOUT.toMillis());
    }

    @Test
    void injectsEveryKindAndOnlyCompleteOnes() {
        SensorScenario scenario = scenario(3, N);
        List<SensorScenario.Injected> injected = scenario.injectedAnomalies(N);
        assertThat(injected.stream().map(SensorScenario.Injected::rule).distinct())
                .containsExactlyInAnyOrder("threshold", "jump", "silence", "recovered");
        assertThat(injected.stream().filter(a -> a.rule().equals("threshold")))
                .allSatisfy(a -> assertThat(a.evidence()).hasSize(3));
        assertThat(scenario.injectedAnomalies(N / 2)).hasSizeLessThan(injected.size());
        for (SensorScenario.Injected a : injected) {
            for (String id : a.evidence()) {
                assertThat(Long.parseLong(id.substring(2))).isLessThan(N);
            }
        }
    }

    /**
     * The scenario through the job's own rules, with a watermark like the source's: exactly the
     * injected alerts, so clean traffic trips nothing and every anomaly trips its rule once.
     */
    @Test
    void theRulesReportExactlyTheInjectedAnomalies() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            SensorScenario scenario = scenario(seed, N);
            SensorReadingCodec codec = new SensorReadingCodec();
            List<Alert> alerts = new ArrayList<>();
            try (var threshold = SensorHarness.threshold(rules());
                    var jump = SensorHarness.jump(rules());
                    var silence = SensorHarness.silence(rules())) {
                long newest = Long.MIN_VALUE;
                for (long i = 0; i < N; i++) {
                    SensorReading r = codec.decode(scenario.record(i).value).value();
                    newest = Math.max(newest, r.eventTime);
                    for (SensorHarness h : List.of(threshold, jump, silence)) {
                        h.send(r);
                        if (i % 50 == 49) {
                            h.watermark(newest - 5_000 - 1);
                        }
                    }
                }
                for (SensorHarness h : List.of(threshold, jump, silence)) {
                    h.watermark(Long.MAX_VALUE);
                    alerts.addAll(h.alerts());
                }
            }
            List<SensorScenario.Injected> expected = scenario.injectedAnomalies(N);
            assertThat(expected).hasSizeGreaterThan(10);
            assertThat(
                            alerts.stream()
                                    .map(
                                            a ->
                                                    new SensorScenario.Injected(
                                                            a.rule, a.key, a.evidence)))
                    .as("seed %d", seed)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void rejectsSettingsThatWouldMakeCleanTrafficLookAnomalous() {
        var limits = SensorRules.defaults().thresholds();
        assertThatThrownBy(
                        () ->
                                new SensorScenario(
                                        1,
                                        0,
                                        1,
                                        1,
                                        Duration.ofSeconds(4),
                                        0.1,
                                        1,
                                        3,
                                        TIMEOUT,
                                        0.1,
                                        Duration.ofSeconds(1),
                                        START,
                                        limits))
                .hasMessageContaining("silence timeout");
        assertThatThrownBy(
                        () ->
                                new SensorScenario(
                                        1,
                                        0,
                                        1,
                                        1,
                                        Duration.ofSeconds(1),
                                        0.1,
                                        1,
                                        3,
                                        TIMEOUT,
                                        0.1,
                                        Duration.ofSeconds(1),
                                        START,
                                        Map.of("temperature", 80.0)))
                .hasMessageContaining("no positive threshold for pressure");
    }
}
