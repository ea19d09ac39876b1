package dev.tideway.jobs.clicks;

import static dev.tideway.jobs.clicks.Clicks.at;
import static dev.tideway.jobs.clicks.Clicks.cart;
import static dev.tideway.jobs.clicks.Clicks.min;
import static dev.tideway.jobs.clicks.Clicks.purchase;
import static dev.tideway.jobs.clicks.Clicks.send;
import static dev.tideway.jobs.clicks.Clicks.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Timeout 10 minutes. */
class AbandonedCartRuleTest {
    private static final ClickRules RULES =
            new ClickRules(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(10));

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Alert> harness()
            throws Exception {
        CepOperator<ClickEvent, String, Alert> operator =
                new CepOperator<>(
                        Types.POJO(ClickEvent.class).createSerializer(new SerializerConfigImpl()),
                        false,
                        // true: the function handles timeouts, as CEP.pattern(..).process sets it.
                        NFACompiler.compileFactory(AbandonedCartRule.pattern(RULES), true),
                        null,
                        AfterMatchSkipStrategy.noSkip(),
                        new AbandonedCartRule.ToAlert(RULES),
                        ClickstreamJob.LATE_CLICKS);
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, (ClickEvent c) -> c.userId, Types.STRING);
        harness.open();
        return harness;
    }

    private static List<Alert> alerts(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Alert> h) {
        var out = h.getSideOutput(AbandonedCartRule.ABANDONED);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aCartWithoutPurchaseIsReportedWhenTheTimeoutPassesNotBefore() throws Exception {
        try (var h = harness()) {
            send(h, view("v1", "u1", "/", at(0)), cart("c1", "u1", at(min(1))));
            send(h, view("v2", "u1", "/", at(min(8))));

            h.processWatermark(at(min(11)) - 1);
            assertThat(alerts(h)).as("not before cart + timeout").isEmpty();

            h.processWatermark(at(min(11)));
            List<Alert> alerts = alerts(h);
            assertThat(alerts).hasSize(1);
            Alert alert = alerts.get(0);
            assertThat(alert.rule).isEqualTo("abandoned-cart");
            assertThat(alert.key).isEqualTo("u1");
            assertThat(alert.evidence).containsExactly("c1");
            assertThat(alert.eventTime).isEqualTo(at(min(11)));
            assertThat(alert.detail).contains("/product/1").contains("PT10M");
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aPurchaseWithinTheTimeoutCompletesEveryCartBeforeItEvenOutOfOrder() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    purchase("p1", "u1", at(min(9))),
                    cart("c2", "u1", at(min(2))),
                    cart("c1", "u1", at(min(1))),
                    // u2: purchase before the cart does not complete it.
                    purchase("p2", "u2", at(min(1))),
                    cart("c3", "u2", at(min(2))));
            h.processWatermark(at(min(60)));

            assertThat(alerts(h)).extracting(a -> a.evidence).containsExactly(List.of("c3"));
        }
    }

    @Test
    void aPurchaseExactlyAtTheTimeoutIsTooLateAndEachAbandonedCartIsOneAlert() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    cart("c1", "u1", at(0)),
                    cart("c2", "u1", at(min(5))),
                    purchase("p1", "u1", at(min(10))));
            h.processWatermark(at(min(60)));

            // c1 timed out at exactly the purchase's time; c2 was bought in time.
            assertThat(alerts(h)).extracting(a -> a.evidence).containsExactly(List.of("c1"));
        }
    }

    @Test
    void lateClicksGoToTheLateOutput() throws Exception {
        try (var h = harness()) {
            h.processWatermark(at(min(5)));
            send(h, cart("late", "u1", at(min(5))), cart("ok", "u1", at(min(5)) + 1));

            assertThat(h.getSideOutput(ClickstreamJob.LATE_CLICKS))
                    .extracting(r -> r.getValue().eventId)
                    .containsExactly("late");
        }
    }

    @Test
    void partialMatchesStateAndTimersGoBackToZeroForQuietUsers() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    cart("c1", "abandoner", at(0)),
                    cart("c2", "abandoner", at(min(1))),
                    cart("c3", "buyer", at(0)),
                    purchase("p3", "buyer", at(min(2))),
                    view("v4", "browser", "/", at(min(1))),
                    cart("c5", "slow", at(min(3))));
            h.processWatermark(at(min(4)));
            assertThat(h.numKeyedStateEntries()).as("open partial matches").isPositive();
            assertThat(h.numEventTimeTimers()).isPositive();

            h.processWatermark(at(min(30)));

            assertThat(alerts(h)).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
