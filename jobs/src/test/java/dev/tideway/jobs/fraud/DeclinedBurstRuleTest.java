package dev.tideway.jobs.fraud;

import static dev.tideway.jobs.fraud.Transactions.approved;
import static dev.tideway.jobs.fraud.Transactions.at;
import static dev.tideway.jobs.fraud.Transactions.declined;
import static dev.tideway.jobs.fraud.Transactions.min;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import org.junit.jupiter.api.Test;

/** Defaults: 3 declines within 10 minutes. */
class DeclinedBurstRuleTest {

    private RuleHarness harness() throws Exception {
        return new RuleHarness(new DeclinedBurstRule(FraudRules.defaults()));
    }

    @Test
    void threeDeclinesWithinTheWindowRaiseOneAlertEvenWhenOutOfOrder() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.send(
                    declined("d3", "c1", at(min(9))),
                    declined("d1", "c1", at(min(0))),
                    approved("ok", "c1", "10.00", at(min(5))),
                    declined("d2", "c1", at(min(4))));
            assertThat(rule.alerts()).as("nothing before the watermark passes").isEmpty();

            rule.watermark(at(min(9)));

            assertThat(rule.alerts()).hasSize(1);
            Alert alert = rule.alerts().get(0);
            assertThat(alert.rule).isEqualTo("declined-burst");
            assertThat(alert.key).isEqualTo("c1");
            assertThat(alert.evidence).containsExactly("d1", "d2", "d3");
        }
    }

    @Test
    void declinesSpreadWiderThanTheWindowRaiseNothing() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.send(
                    declined("d1", "c1", at(min(0))),
                    declined("d2", "c1", at(min(6))),
                    declined("d3", "c1", at(min(10))), // d1 has left the window (0, 10]
                    declined("other", "c2", at(min(7))));
            rule.watermark(at(min(30)));

            assertThat(rule.alerts()).isEmpty();
        }
    }

    @Test
    void stateAndTimersGoBackToZeroForQuietCards() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.send(
                    declined("a1", "c1", at(min(0))),
                    declined("b1", "c2", at(min(1))),
                    declined("b2", "c2", at(min(2))),
                    declined("b3", "c2", at(min(3))),
                    approved("c", "c3", "10.00", at(min(1))));
            rule.watermark(at(min(5)));
            assertThat(rule.alerts()).hasSize(1);
            assertThat(rule.stateEntries()).isPositive();

            rule.watermark(at(min(13))); // every decline has left its window

            assertThat(rule.stateEntries()).isZero();
            assertThat(rule.timers()).isZero();
        }
    }

    @Test
    void lateDeclineGoesToTheSideOutputNotTheRule() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.watermark(at(min(5)));
            rule.send(declined("late", "c1", at(min(1))), at("x", "c1", 0, 0, at(min(6))));

            assertThat(rule.harness.getSideOutput(FraudDetectionJob.LATE_TRANSACTIONS))
                    .extracting(r -> r.getValue().eventId)
                    .containsExactly("late");
        }
    }
}
