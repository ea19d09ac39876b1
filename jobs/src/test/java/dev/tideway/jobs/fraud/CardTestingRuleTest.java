package dev.tideway.jobs.fraud;

import static dev.tideway.jobs.fraud.Transactions.approved;
import static dev.tideway.jobs.fraud.Transactions.at;
import static dev.tideway.jobs.fraud.Transactions.min;
import static dev.tideway.jobs.fraud.Transactions.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Defaults: at most 2.00, then at least 500.00, within 5 minutes. */
class CardTestingRuleTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, CardTransaction, Alert> harness()
            throws Exception {
        FraudRules rules = FraudRules.defaults();
        CepOperator<CardTransaction, String, Alert> operator =
                new CepOperator<>(
                        Types.POJO(CardTransaction.class)
                                .createSerializer(new SerializerConfigImpl()),
                        false,
                        NFACompiler.compileFactory(CardTestingRule.pattern(rules), false),
                        null,
                        AfterMatchSkipStrategy.skipPastLastEvent(),
                        new CardTestingRule.ToAlert(rules),
                        FraudDetectionJob.LATE_TRANSACTIONS);
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, (CardTransaction tx) -> tx.cardId, Types.STRING);
        harness.open();
        return harness;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, CardTransaction, Alert> h,
            CardTransaction... transactions)
            throws Exception {
        for (CardTransaction tx : transactions) {
            h.processElement(tx, tx.eventTime);
        }
    }

    @Test
    void probeThenLargeChargeIsReportedOnceEvenWhenOutOfOrder() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    approved("large", "c1", "899.00", at(min(2))),
                    approved("probe", "c1", "0.99", at(min(0))),
                    approved("normal", "c1", "35.00", at(min(1))),
                    approved("large2", "c1", "650.00", at(min(3))));
            h.processWatermark(at(min(10)));

            List<Alert> alerts = h.extractOutputValues();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).rule).isEqualTo("card-testing");
            assertThat(alerts.get(0).key).isEqualTo("c1");
            assertThat(alerts.get(0).evidence).containsExactly("probe", "large");
        }
    }

    @Test
    void largeChargeAfterTheWindowOrWithoutProbeIsNotReported() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    approved("probe", "c1", "1.00", at(min(0))),
                    approved("late-large", "c1", "900.00", at(min(6))),
                    approved("large-alone", "c2", "900.00", at(min(1))),
                    approved("large-first", "c3", "900.00", at(min(1))),
                    approved("probe-after", "c3", "1.00", at(min(2))));
            h.processWatermark(at(min(20)));

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void stateAndTimersGoBackToZeroForQuietCards() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    approved("p1", "c1", "0.50", at(min(0))),
                    approved("l1", "c1", "700.00", at(sec(30))),
                    approved("p2", "c2", "0.50", at(min(1))),
                    approved("n3", "c3", "50.00", at(min(1))));
            h.processWatermark(at(min(2)));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isPositive();

            h.processWatermark(at(min(30)));

            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
