package dev.tideway.jobs.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClickScenarioTest {
    private static final long N = 20_003; // not a multiple of the block: a partial last block
    private static final Instant START = Instant.now().minus(Duration.ofHours(1));

    private static ClickScenario scenario(long seed) {
        return new ClickScenario(seed, N, 200, 0.05, 0.15, 0.3, START, 100);
    }

    @Test
    void theSameSeedGivesTheSameRecords() {
        ClickScenario a = scenario(42);
        ClickScenario b = scenario(42);
        ClickScenario other = scenario(43);
        for (long i = 0; i < N; i += 97) {
            assertThat(a.record(i).value).isEqualTo(b.record(i).value);
        }
        assertThat(a.injectedAbandonedCarts(N)).isEqualTo(b.injectedAbandonedCarts(N));
        assertThat(other.injectedAbandonedCarts(N)).isNotEqualTo(a.injectedAbandonedCarts(N));
    }

    @Test
    void everyRecordIsAValidClickKeyedByItsUser() {
        ClickScenario s = scenario(1);
        ClickEventCodec codec = new ClickEventCodec();
        Set<String> ids = new HashSet<>();
        for (long i = 0; i < N; i++) {
            GeneratedRecord r = s.record(i);
            ClickEvent click = codec.decode(r.value).value();
            assertThat(click).isEqualTo(s.click(i));
            assertThat(new String(r.key, StandardCharsets.UTF_8)).isEqualTo(click.userId);
            assertThat(ids.add(click.eventId)).as("unique event ids").isTrue();
        }
    }

    /**
     * The injected list is exactly the add_to_carts no purchase by the same user follows, for any
     * timeout from one block's span up to the whole run: recomputed here from the clicks alone.
     */
    @Test
    void injectedAbandonedCartsAreExactlyTheCartsNeverBought() {
        ClickScenario s = scenario(7);
        List<ClickEvent> clicks = s.clicks(N);
        Map<String, List<ClickEvent>> byUser =
                clicks.stream().collect(Collectors.groupingBy(c -> c.userId));
        for (Duration timeout : List.of(Duration.ofMillis(80), Duration.ofHours(2))) {
            List<ClickScenario.AbandonedCart> abandoned = new ArrayList<>();
            for (ClickEvent cart : clicks) {
                if (cart.action != ClickAction.ADD_TO_CART) {
                    continue;
                }
                boolean bought =
                        byUser.get(cart.userId).stream()
                                .anyMatch(
                                        c ->
                                                c.action == ClickAction.PURCHASE
                                                        && c.eventTime > cart.eventTime
                                                        && c.eventTime
                                                                < cart.eventTime
                                                                        + timeout.toMillis());
                if (!bought) {
                    abandoned.add(
                            new ClickScenario.AbandonedCart(
                                    cart.userId, cart.eventId, cart.eventTime));
                }
            }
            assertThat(abandoned)
                    .as("timeout " + timeout)
                    .containsExactlyInAnyOrderElementsOf(s.injectedAbandonedCarts(N));
        }
        assertThat(s.injectedAbandonedCarts(N)).hasSizeGreaterThan(50);
        assertThat(s.completedPurchases(N)).hasSizeGreaterThan(200);
        for (ClickScenario.AbandonedCart cart : s.injectedAbandonedCarts(N)) {
            assertThat(byUser.get(cart.userId()))
                    .as("an abandoner visits once: one block of clicks")
                    .hasSize(ClickScenario.BLOCK);
        }
    }

    @Test
    void arrivalIsNeverMoreThanMaxDisorderBehindAndSomeBlocksAreShuffled() {
        ClickScenario s = scenario(3);
        assertThat(s.maxDisorder()).isEqualTo(Duration.ofMillis(70));
        long newest = Long.MIN_VALUE;
        long behind = 0;
        long maxBehind = 0;
        for (long i = 0; i < N; i++) {
            long t = s.click(i).eventTime;
            if (t < newest) {
                behind++;
                maxBehind = Math.max(maxBehind, newest - t);
            }
            newest = Math.max(newest, t);
        }
        assertThat(behind).isGreaterThan(1000);
        assertThat(maxBehind).isLessThanOrEqualTo(s.maxDisorder().toMillis());
    }

    @Test
    void aPartialLastBlockHoldsNoPurchaseNorCart() {
        ClickScenario s = scenario(5);
        for (long i = N - N % ClickScenario.BLOCK; i < N; i++) {
            assertThat(s.click(i).action).isEqualTo(ClickAction.VIEW);
        }
    }
}
