package dev.tideway.jobs.fraud;

import static dev.tideway.jobs.fraud.Transactions.PARIS_LAT;
import static dev.tideway.jobs.fraud.Transactions.PARIS_LON;
import static dev.tideway.jobs.fraud.Transactions.TOKYO_LAT;
import static dev.tideway.jobs.fraud.Transactions.TOKYO_LON;
import static dev.tideway.jobs.fraud.Transactions.VERSAILLES_LAT;
import static dev.tideway.jobs.fraud.Transactions.VERSAILLES_LON;
import static dev.tideway.jobs.fraud.Transactions.at;
import static dev.tideway.jobs.fraud.Transactions.min;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Defaults: faster than 900 km/h over at least 100 km; last place kept 6 hours. */
class ImpossibleTravelRuleTest {

    private RuleHarness harness() throws Exception {
        return new RuleHarness(new ImpossibleTravelRule(FraudRules.defaults()));
    }

    @Test
    void parisThenTokyoAnHourLaterIsReportedOnceEvenWhenOutOfOrder() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.send(
                    at("tokyo", "c1", TOKYO_LAT, TOKYO_LON, at(min(60))),
                    at("paris", "c1", PARIS_LAT, PARIS_LON, at(min(0))),
                    // Back home: compared with Paris, not with the suspect Tokyo transaction.
                    at("home", "c1", PARIS_LAT, PARIS_LON, at(min(90))));
            rule.watermark(at(min(120)));

            assertThat(rule.alerts()).hasSize(1);
            Alert alert = rule.alerts().get(0);
            assertThat(alert.rule).isEqualTo("impossible-travel");
            assertThat(alert.evidence).containsExactly("paris", "tokyo");
            assertThat(alert.detail).contains("km/h");
        }
    }

    @Test
    void plausibleJourneysAreNotReported() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.send(
                    at("paris", "c1", PARIS_LAT, PARIS_LON, at(min(0))),
                    // ~17 km in one second: fast, but below the minimum distance.
                    at(
                            "versailles",
                            "c1",
                            VERSAILLES_LAT,
                            VERSAILLES_LON,
                            at(Duration.ofSeconds(1))),
                    // ~9700 km in 14 hours: a flight.
                    at("tokyo", "c1", TOKYO_LAT, TOKYO_LON, at(Duration.ofHours(14))));
            rule.watermark(at(Duration.ofHours(15)));

            assertThat(rule.alerts()).isEmpty();
        }
    }

    @Test
    void stateAndTimersGoBackToZeroForQuietCards() throws Exception {
        try (RuleHarness rule = harness()) {
            rule.send(
                    at("a", "c1", PARIS_LAT, PARIS_LON, at(min(0))),
                    at("b", "c2", TOKYO_LAT, TOKYO_LON, at(min(3))),
                    at("c", "c2", TOKYO_LAT, TOKYO_LON, at(min(1))));
            rule.watermark(at(min(10)));
            assertThat(rule.stateEntries()).isPositive();

            rule.watermark(at(Duration.ofHours(6).plus(min(3))));

            assertThat(rule.stateEntries()).isZero();
            assertThat(rule.timers()).isZero();
        }
    }
}
