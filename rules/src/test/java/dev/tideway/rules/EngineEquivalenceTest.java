package dev.tideway.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import dev.tideway.rules.testing.EngineAndReference;
import dev.tideway.rules.testing.EngineAndReference.Item;
import dev.tideway.rules.testing.OutOfOrderStream;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every construct of the language, on many seeded out-of-order streams: the engine's alerts equal
 * flink-cep's, alert by alert and in the same order per key, and so do the late events.
 */
class EngineEquivalenceTest {
    private static final int STREAMS = 60;

    static Stream<Arguments> rules() {
        return Stream.of(
                rule(
                        "followed-by",
                        "{`name`:`a`,`where`:`kind == 'a'`},"
                                + "{`name`:`b`,`where`:`kind == 'b' and value > a.value`}",
                        "10 s",
                        null),
                rule(
                        "next",
                        "{`name`:`a`,`where`:`flag`},"
                                + "{`name`:`b`,`where`:`value >= 5`,`contiguity`:`next`}",
                        "8 s",
                        null),
                rule("times-relaxed", "{`name`:`x`,`where`:`flag`,`times`:3}", "12 s", null),
                rule(
                        "times-consecutive",
                        "{`name`:`x`,`where`:`value > 3`,`times`:3,`contiguity`:`next`}",
                        "12 s",
                        null),
                rule(
                        "times-then-next",
                        "{`name`:`x`,`where`:`kind == 'a'`,`times`:2},"
                                + "{`name`:`y`,`where`:`not flag`,`contiguity`:`next`,`times`:2}",
                        "15 s",
                        null),
                rule(
                        "three-steps",
                        "{`name`:`a`,`where`:`value < 2`},"
                                + "{`name`:`b`,`where`:`value > 7`},"
                                + "{`name`:`c`,`where`:`kind == a.kind`,`contiguity`:`next`}",
                        "20 s",
                        null),
                rule("absence", "{`name`:`a`,`where`:`kind == 'a'`}", "6 s", "kind == 'b'"),
                rule("silence", "{`name`:`last`,`where`:`true`}", "4 s", "true"),
                rule(
                        "times-then-absence",
                        "{`name`:`x`,`where`:`flag`,`times`:2}",
                        "9 s",
                        "value > 8"),
                rule(
                        "sequence-then-absence",
                        "{`name`:`a`,`where`:`kind == 'a'`},"
                                + "{`name`:`b`,`where`:`flag`,`contiguity`:`next`}",
                        "10 s",
                        "kind == 'c'"),
                rule(
                        "distance",
                        "{`name`:`from`,`where`:`true`},"
                                + "{`name`:`to`,`contiguity`:`next`,`where`:"
                                + "`distanceKm(from, this) >= 500 and speedKmh(from, this) > 900`}",
                        "30 s",
                        null));
    }

    /** Builds rule JSON written with ` for JSON quotes, so conditions can use 'text'. */
    private static Arguments rule(String id, String steps, String within, String absent) {
        String json =
                ("{`id`:`"
                                + id
                                + "`,`version`:1,`key`:`key`,`within`:`"
                                + within
                                + "`,`steps`:["
                                + steps
                                + "]"
                                + (absent == null ? "" : ",`absent`:{`where`:`" + absent + "`}")
                                + ",`detail`:`"
                                + id
                                + " at {"
                                + firstStep(steps)
                                + ".kind}`}")
                        .replace('`', '"');
        return Arguments.of(id, RuleParser.parse(json));
    }

    private static String firstStep(String steps) {
        int i = steps.indexOf("`name`:`") + 8;
        return steps.substring(i, steps.indexOf('`', i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void engineMatchesFlinkCepOnRandomOutOfOrderStreams(String name, RuleDefinition rule)
            throws Exception {
        EngineAndReference<TestEvent> both =
                new EngineAndReference<>(TestEvent.SCHEMA, Types.POJO(TestEvent.class), e -> e.key);
        int totalAlerts = 0;
        for (int s = 0; s < STREAMS; s++) {
            long seed = 1000L * name.hashCode() + s;
            List<Item<TestEvent>> input =
                    OutOfOrderStream.generate(
                            seed,
                            400,
                            1_700_000_000_000L,
                            500,
                            3_000,
                            0.02,
                            EngineEquivalenceTest::event);
            EngineAndReference.Output engine = both.engine(rule, input);
            EngineAndReference.Output reference = both.reference(rule, input);
            assertThat(engine.alertsByKey())
                    .as("alerts per key, seed %d", seed)
                    .isEqualTo(reference.alertsByKey());
            assertThat(engine.lateSorted())
                    .as("late events, seed %d", seed)
                    .isEqualTo(reference.lateSorted());
            totalAlerts += reference.alerts().size();
        }
        // The streams must exercise the rule, or equality would prove nothing.
        assertThat(totalAlerts).as("alerts over all streams").isGreaterThan(STREAMS);
    }

    private static final String[] KINDS = {"a", "b", "c"};
    private static final double[][] PLACES = {{48.85, 2.35}, {40.71, -74.0}, {48.86, 2.36}};

    static TestEvent event(Random random, int index, long ts) {
        TestEvent e =
                new TestEvent(
                        "e" + index,
                        "k" + random.nextInt(4),
                        KINDS[random.nextInt(KINDS.length)],
                        random.nextInt(10),
                        random.nextInt(3) == 0,
                        ts);
        double[] place =
                PLACES[random.nextInt(random.nextInt(8) == 0 ? 3 : 1) == 0 ? 0 : random.nextInt(3)];
        e.latitude = place[0];
        e.longitude = place[1];
        return e;
    }
}
