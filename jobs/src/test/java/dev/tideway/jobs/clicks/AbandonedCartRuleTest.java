package dev.tideway.jobs.clicks;

import static dev.tideway.jobs.clicks.Clicks.at;
import static dev.tideway.jobs.clicks.Clicks.cart;
import static dev.tideway.jobs.clicks.Clicks.min;
import static dev.tideway.jobs.clicks.Clicks.purchase;
import static dev.tideway.jobs.clicks.Clicks.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.jobs.testing.EngineHarness;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.Test;

/** The rules-engine operator the job runs the abandoned-cart rule on. Timeout 10 minutes. */
class AbandonedCartRuleTest {
    private static final ClickRules RULES =
            new ClickRules(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(10));

    private static EngineHarness<ClickEvent> harness() throws Exception {
        var updates = Clicks.users().getExecutionEnvironment().fromData(List.of("-"), Types.STRING);
        return EngineHarness.of(
                AbandonedCartRule.onEngine(Clicks.users(), updates, RULES),
                (ClickEvent c) -> c.userId,
                ClickEventFields.SCHEMA,
                ClickstreamJob.LATE_CLICKS);
    }

    @Test
    void theRuleIsWrittenInTheRuleLanguageFromTheTimeout() {
        var rule = AbandonedCartRule.definition(RULES);
        assertThat(rule.id()).isEqualTo("abandoned-cart");
        assertThat(rule.key()).isEqualTo("userId");
        assertThat(rule.within()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rule.steps())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.where()).isEqualTo("action == 'add_to_cart'");
                            assertThat(s.times()).isEqualTo(1);
                        });
        assertThat(rule.absent().where()).isEqualTo("action == 'purchase'");
    }

    @Test
    void aCartWithoutPurchaseIsReportedWhenTheTimeoutPassesNotBefore() throws Exception {
        try (var h = harness()) {
            h.send(view("v1", "u1", "/", at(0)), cart("c1", "u1", at(min(1))));
            h.send(view("v2", "u1", "/", at(min(8))));

            h.watermark(at(min(11)) - 1);
            assertThat(h.alerts()).as("not before cart + timeout").isEmpty();

            h.watermark(at(min(11)));
            List<Alert> alerts = h.alerts();
            assertThat(alerts).hasSize(1);
            Alert alert = alerts.get(0);
            assertThat(alert.rule).isEqualTo("abandoned-cart");
            assertThat(alert.key).isEqualTo("u1");
            assertThat(alert.evidence).containsExactly("c1");
            assertThat(alert.alertId).isEqualTo("abandoned-cart:u1:c1");
            assertThat(alert.eventTime).isEqualTo(at(min(11)));
            assertThat(alert.detail)
                    .isEqualTo("added /product/1 to the cart, no purchase within PT10M");
        }
    }

    @Test
    void aPurchaseWithinTheTimeoutEndsEveryCartBeforeItEvenOutOfOrder() throws Exception {
        try (var h = harness()) {
            h.send(
                    purchase("p1", "u1", at(min(9))),
                    cart("c2", "u1", at(min(2))),
                    cart("c1", "u1", at(min(1))),
                    // u2: purchase before the cart does not end it.
                    purchase("p2", "u2", at(min(1))),
                    cart("c3", "u2", at(min(2))));
            h.watermark(at(min(60)));

            assertThat(h.alerts()).extracting(a -> a.evidence).containsExactly(List.of("c3"));
        }
    }

    @Test
    void aPurchaseExactlyAtTheTimeoutIsTooLateAndEachAbandonedCartIsOneAlert() throws Exception {
        try (var h = harness()) {
            h.send(
                    cart("c1", "u1", at(0)),
                    cart("c2", "u1", at(min(5))),
                    purchase("p1", "u1", at(min(10))),
                    cart("c3", "u2", at(0)),
                    cart("c4", "u2", at(min(1))),
                    view("v5", "u2", "/", at(min(2))));
            h.watermark(at(min(60)));

            // c1 timed out at exactly the purchase's time; c2 was bought in time.
            assertThat(h.alerts().stream().filter(a -> a.key.equals("u1")))
                    .extracting(a -> a.evidence + " " + a.eventTime)
                    .containsExactly("[c1] " + at(min(10)));
            // u2 abandoned both carts: two alerts, in the order they became abandoned.
            assertThat(h.alerts().stream().filter(a -> a.key.equals("u2")))
                    .extracting(a -> a.evidence + " " + a.eventTime)
                    .containsExactly("[c3] " + at(min(10)), "[c4] " + at(min(11)));
        }
    }

    @Test
    void lateClicksGoToTheLateOutput() throws Exception {
        try (var h = harness()) {
            h.watermark(at(min(5)));
            h.send(cart("late", "u1", at(min(5))), cart("ok", "u1", at(min(5)) + 1));
            h.watermark(at(min(30)));

            assertThat(h.late()).containsExactly("late");
            assertThat(h.alerts()).extracting(a -> a.evidence).containsExactly(List.of("ok"));
        }
    }

    @Test
    void stateAndTimersGoBackToZeroForQuietUsers() throws Exception {
        try (var h = harness()) {
            h.send(
                    cart("c1", "abandoner", at(0)),
                    cart("c2", "abandoner", at(min(1))),
                    cart("c3", "buyer", at(0)),
                    purchase("p3", "buyer", at(min(2))),
                    view("v4", "browser", "/", at(min(1))),
                    cart("c5", "slow", at(min(3))));
            h.watermark(at(min(4)));
            assertThat(h.stateEntries()).as("open carts of abandoner and slow").isEqualTo(2);
            assertThat(h.timers()).isPositive();

            h.watermark(at(min(30)));
            assertThat(h.alerts())
                    .extracting(a -> a.evidence.get(0))
                    .containsExactly("c1", "c2", "c5");
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();

            h.watermark(Long.MAX_VALUE);
            assertThat(h.alerts()).hasSize(3);
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
        }
    }
}
