package dev.tideway.jobs.clicks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.jobs.testing.LegacyCep;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.testing.EngineAndReference;
import dev.tideway.rules.testing.EngineAndReference.Item;
import dev.tideway.rules.testing.OutOfOrderStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The abandoned-cart rule on many seeded random click streams, out of order within the watermark
 * bound and with late clicks: the rules engine's alerts equal flink-cep's for the same rule, alert
 * by alert and in order per user, and so do the late clicks. The hand-written flink-cep rule of the
 * previous release (cart followed by purchase, its timeouts as the alerts) gives the same alerts
 * too, so the rule-language version keeps the job's behaviour.
 */
class AbandonedCartEquivalenceTest {
    private static final int STREAMS = 60;
    private static final ClickRules RULES =
            new ClickRules(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofSeconds(10));
    private static final String[] PAGES = {"/product/1", "/product/2", "/product/3"};

    @Test
    void engineMatchesFlinkCepAndThePreviousRuleOnRandomOutOfOrderStreams() throws Exception {
        RuleDefinition rule = AbandonedCartRule.definition(RULES);
        EngineAndReference<ClickEvent> both =
                new EngineAndReference<>(
                        ClickEventFields.SCHEMA, Types.POJO(ClickEvent.class), c -> c.userId);
        int alerts = 0;
        int late = 0;
        int keysWithSeveral = 0;
        for (int s = 0; s < STREAMS; s++) {
            long seed = 8_100 + s;
            List<Item<ClickEvent>> input =
                    OutOfOrderStream.generate(
                            seed,
                            400,
                            Clicks.T0,
                            500,
                            3_000,
                            0.02,
                            AbandonedCartEquivalenceTest::click);
            EngineAndReference.Output engine = both.engine(rule, input);
            EngineAndReference.Output reference = both.reference(rule, input);
            assertThat(engine.alertsByKey())
                    .as("alerts per user, seed %d", seed)
                    .isEqualTo(reference.alertsByKey());
            assertThat(engine.lateSorted())
                    .as("late clicks, seed %d", seed)
                    .isEqualTo(reference.lateSorted());

            LegacyCep.Output legacy =
                    LegacyCep.run(
                            Legacy.pattern(RULES),
                            new Legacy.ToAlert(RULES),
                            true,
                            Legacy.ABANDONED,
                            ClickstreamJob.LATE_CLICKS,
                            Types.POJO(ClickEvent.class),
                            c -> c.userId,
                            c -> c.eventId,
                            input);
            // flink-cep hands out the timeouts of one watermark in no promised order: compare
            // each user's alerts as a sorted list, every field but the wall-clock time.
            assertThat(sorted(engine.alertsByKey()))
                    .as("engine vs the previous rule, seed %d", seed)
                    .isEqualTo(sorted(legacy.byKey(EngineAndReference::render)));
            assertThat(engine.lateSorted().get("late")).isEqualTo(legacy.late());

            alerts += reference.alerts().size();
            late += reference.late().size();
            keysWithSeveral +=
                    (int)
                            reference.alertsByKey().values().stream()
                                    .filter(l -> l.size() > 1)
                                    .count();
        }
        // The streams must exercise the rule, or equality would prove nothing.
        assertThat(alerts).as("alerts over all streams").isGreaterThan(STREAMS * 10);
        assertThat(keysWithSeveral).as("users with several abandoned carts").isGreaterThan(STREAMS);
        assertThat(late).as("late clicks over all streams").isPositive();
    }

    /** Three users, so that carts, purchases and timeouts interleave within the window. */
    static ClickEvent click(Random random, int index, long ts) {
        String user = "u" + random.nextInt(3);
        int r = random.nextInt(20);
        ClickAction action =
                r < 7
                        ? ClickAction.VIEW
                        : r < 14
                                ? ClickAction.ADD_TO_CART
                                : r < 16 ? ClickAction.CHECKOUT : ClickAction.PURCHASE;
        return new ClickEvent(
                "c" + index, user, "s-" + user, PAGES[random.nextInt(PAGES.length)], action, ts);
    }

    private static Map<String, List<String>> sorted(Map<String, List<String>> byKey) {
        Map<String, List<String>> out = new TreeMap<>();
        byKey.forEach(
                (k, v) -> {
                    List<String> copy = new ArrayList<>(v);
                    copy.sort(null);
                    out.put(k, copy);
                });
        return out;
    }

    /** The abandoned-cart rule as the previous release wrote it with flink-cep, unchanged. */
    static final class Legacy {
        static final OutputTag<Alert> ABANDONED =
                new OutputTag<>("abandoned-carts", Types.POJO(Alert.class));

        static Pattern<ClickEvent, ClickEvent> pattern(ClickRules rules) {
            return Pattern.<ClickEvent>begin("cart", AfterMatchSkipStrategy.noSkip())
                    .where(SimpleCondition.of(c -> c.action == ClickAction.ADD_TO_CART))
                    .followedBy("purchase")
                    .where(SimpleCondition.of(c -> c.action == ClickAction.PURCHASE))
                    .within(rules.abandonTimeout());
        }

        static final class ToAlert extends PatternProcessFunction<ClickEvent, Alert>
                implements TimedOutPartialMatchHandler<ClickEvent> {
            private final long timeoutMillis;
            private final String timeout;

            ToAlert(ClickRules rules) {
                this.timeoutMillis = rules.abandonTimeout().toMillis();
                this.timeout = rules.abandonTimeout().toString();
            }

            @Override
            public void processMatch(
                    Map<String, List<ClickEvent>> match, Context ctx, Collector<Alert> out) {}

            @Override
            public void processTimedOutMatch(Map<String, List<ClickEvent>> match, Context ctx) {
                ClickEvent cart = match.get("cart").get(0);
                ctx.output(
                        ABANDONED,
                        new Alert(
                                AbandonedCartRule.NAME,
                                cart.userId,
                                List.of(cart.eventId),
                                "added "
                                        + cart.page
                                        + " to the cart, no purchase within "
                                        + timeout,
                                cart.eventTime + timeoutMillis,
                                System.currentTimeMillis()));
            }
        }
    }
}
