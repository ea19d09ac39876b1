package dev.tideway.jobs.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.testing.LegacyCep;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.testing.EngineAndReference;
import dev.tideway.rules.testing.EngineAndReference.Item;
import dev.tideway.rules.testing.OutOfOrderStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The threshold rule on many seeded random reading streams (several metrics per sensor, values
 * around their limits, out of order within the watermark bound, late readings): the rules engine's
 * alerts equal flink-cep's for the same rule, alert by alert and in order per sensor, and so do the
 * late readings. The hand-written flink-cep pattern of the previous release gives the same alerts
 * (rule, sensor, evidence, time; its text differed), so the rule-language version keeps the job's
 * behaviour.
 */
class ThresholdEquivalenceTest {
    private static final int STREAMS = 60;
    private static final String[][] METRICS = {
        {"temperature", "celsius", "80"}, {"pressure", "kPa", "400"}, {"noise", "dB", "-"}
    };

    static List<SensorRules> settings() {
        SensorRules d = SensorRules.defaults();
        return List.of(rules(d, 3, Duration.ofSeconds(8)), rules(d, 1, Duration.ofSeconds(5)));
    }

    private static SensorRules rules(SensorRules d, int count, Duration window) {
        TreeMap<String, Double> limits =
                new TreeMap<>(Map.of("temperature", 80.0, "pressure", 400.0));
        return new SensorRules(
                d.window(),
                limits,
                count,
                window,
                d.jumpReadings(),
                d.jumpFactor(),
                d.jumpMemory(),
                d.silenceTimeout(),
                d.silenceRetention());
    }

    @Test
    void engineMatchesFlinkCepAndThePreviousRuleOnRandomOutOfOrderStreams() throws Exception {
        EngineAndReference<SensorReading> both =
                new EngineAndReference<>(
                        SensorReadingFields.SCHEMA,
                        Types.POJO(SensorReading.class),
                        r -> r.sensorId);
        for (SensorRules rules : settings()) {
            RuleDefinition rule = ThresholdRule.definition(rules);
            int alerts = 0;
            int late = 0;
            int mixed = 0;
            for (int s = 0; s < STREAMS; s++) {
                long seed = 9_300 + 100L * rules.thresholdCount() + s;
                List<Item<SensorReading>> input =
                        OutOfOrderStream.generate(
                                seed,
                                400,
                                Readings.T0,
                                500,
                                3_000,
                                0.02,
                                ThresholdEquivalenceTest::reading);
                EngineAndReference.Output engine = both.engine(rule, input);
                EngineAndReference.Output reference = both.reference(rule, input);
                assertThat(engine.alertsByKey())
                        .as("alerts per sensor, count %d, seed %d", rules.thresholdCount(), seed)
                        .isEqualTo(reference.alertsByKey());
                assertThat(engine.lateSorted())
                        .as("late readings, seed %d", seed)
                        .isEqualTo(reference.lateSorted());

                LegacyCep.Output legacy =
                        LegacyCep.run(
                                Legacy.pattern(rules),
                                new Legacy.ToAlert(),
                                false,
                                null,
                                SensorMonitoringJob.LATE_READINGS,
                                Types.POJO(SensorReading.class),
                                r -> r.sensorId,
                                r -> r.eventId,
                                input);
                assertThat(withoutText(engine.alertsByKey()))
                        .as("engine vs the previous rule, seed %d", seed)
                        .isEqualTo(legacy.byKey(ThresholdEquivalenceTest::withoutText));
                assertThat(engine.lateSorted().get("late")).isEqualTo(legacy.late());

                alerts += reference.alerts().size();
                late += reference.late().size();
                Map<String, String> metricOf = new java.util.HashMap<>();
                for (Item<SensorReading> item : input) {
                    if (item.event() != null) {
                        metricOf.put(item.event().eventId, item.event().metric);
                    }
                }
                for (String a : reference.alerts()) {
                    String evidence = a.split("\\|")[2];
                    long metrics =
                            java.util.Arrays.stream(
                                            evidence.substring(1, evidence.length() - 1)
                                                    .split(", "))
                                    .map(metricOf::get)
                                    .distinct()
                                    .count();
                    mixed += metrics > 1 ? 1 : 0;
                }
            }
            // The streams must exercise the rule, or equality would prove nothing.
            assertThat(alerts)
                    .as("alerts over all streams, count %d", rules.thresholdCount())
                    .isGreaterThan(STREAMS * 5);
            assertThat(late).as("late readings over all streams").isPositive();
            if (rules.thresholdCount() > 1) {
                assertThat(mixed).as("runs mixing temperature and pressure").isPositive();
            }
        }
    }

    /**
     * Three sensors; temperature, pressure (both with limits) and noise (none), around the limit.
     */
    static SensorReading reading(Random random, int index, long ts) {
        String[] metric = METRICS[random.nextInt(random.nextInt(4) == 0 ? 3 : 1)];
        if (random.nextInt(5) == 0) {
            metric = METRICS[1];
        }
        double base = metric[2].equals("-") ? 50 : Double.parseDouble(metric[2]);
        // Mostly just above or just below; exactly at the limit now and then (not above it).
        int r = random.nextInt(10);
        double value =
                r < 6 ? base + 1 + random.nextInt(5) : r < 9 ? base - 1 - random.nextInt(5) : base;
        return new SensorReading(
                "r" + index, "s" + random.nextInt(3), "plant-a", metric[0], value, metric[1], ts);
    }

    /** An alert rendered by EngineAndReference (rule|key|evidence|detail|time), without detail. */
    private static Map<String, List<String>> withoutText(Map<String, List<String>> byKey) {
        Map<String, List<String>> out = new TreeMap<>();
        byKey.forEach(
                (k, v) ->
                        out.put(
                                k,
                                v.stream()
                                        .map(
                                                a -> {
                                                    String[] f = a.split("\\|");
                                                    return f[0]
                                                            + "|"
                                                            + f[1]
                                                            + "|"
                                                            + f[2]
                                                            + "|"
                                                            + f[f.length - 1];
                                                })
                                        .toList()));
        return out;
    }

    private static String withoutText(Alert a) {
        return a.rule + "|" + a.key + "|" + a.evidence + "|" + a.eventTime;
    }

    /** The threshold rule as the previous release wrote it with flink-cep, unchanged. */
    static final class Legacy {
        static Pattern<SensorReading, SensorReading> pattern(SensorRules rules) {
            TreeMap<String, Double> limits = new TreeMap<>(rules.thresholds());
            return Pattern.<SensorReading>begin(
                            ThresholdRule.ABOVE, AfterMatchSkipStrategy.skipPastLastEvent())
                    .where(SimpleCondition.of(r -> ThresholdRule.isAbove(limits, r)))
                    .times(rules.thresholdCount())
                    .consecutive()
                    .within(rules.thresholdWindow());
        }

        static final class ToAlert extends PatternProcessFunction<SensorReading, Alert> {
            @Override
            public void processMatch(
                    Map<String, List<SensorReading>> match, Context ctx, Collector<Alert> out) {
                List<SensorReading> above = match.get(ThresholdRule.ABOVE);
                SensorReading last = above.get(above.size() - 1);
                out.collect(
                        new Alert(
                                ThresholdRule.NAME,
                                last.sensorId,
                                above.stream().map(r -> r.eventId).toList(),
                                "(the old text, with the peak)",
                                last.eventTime,
                                System.currentTimeMillis()));
            }
        }
    }
}
