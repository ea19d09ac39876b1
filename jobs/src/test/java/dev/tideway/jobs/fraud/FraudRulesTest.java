package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.RuleEngineOptions;
import dev.tideway.rules.engine.RuleEngineOperator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in fraud rules on the engine operator: alerts, out-of-order input, state bounds. */
class FraudRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private KeyedTwoInputStreamOperatorTestHarness<String, CardTransaction, String, Alert> harness;
    private long snapshots;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new RuleEngineOperator<String, CardTransaction>(
                                CardTransactionFields.SCHEMA,
                                Types.POJO(CardTransaction.class),
                                CardRules.defaults(FraudRules.defaults()),
                                FraudDetectionJob.LATE_TRANSACTIONS,
                                RuleEngine.RULE_STATUS,
                                RuleEngineOptions.STATE_CACHE_KEYS.defaultValue()),
                        tx -> tx.cardId,
                        r -> "",
                        Types.STRING);
        harness.open();
    }

    /** Keyed state entries a checkpoint holds (the engine's own count), after a snapshot. */
    private int stateEntries() throws Exception {
        harness.snapshot(++snapshots, snapshots);
        return ((RuleEngineOperator<?, ?>) harness.getOperator()).stateEntries();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void cardTestingMatchesAProbeAndALargeChargeThatArrivedFirst() throws Exception {
        send(tx("big", "c1", "900.00", 48.85, 2.35, false, 2));
        send(tx("probe", "c1", "1.00", 48.85, 2.35, false, 1));
        harness.processWatermark1(new Watermark(at(3)));
        assertThat(alerts())
                .extracting(a -> a.rule + a.evidence)
                .containsExactly("card-testing[probe, big]");
    }

    @Test
    void declinedBurstAndImpossibleTravelAlertOnce() throws Exception {
        send(tx("d1", "c2", "10.00", 48.85, 2.35, true, 1));
        send(tx("d2", "c2", "10.00", 48.85, 2.35, true, 2));
        send(tx("tokyo", "c2", "10.00", 35.67, 139.65, true, 3));
        harness.processWatermark1(new Watermark(at(4)));
        assertThat(alerts())
                .extracting(a -> a.rule + a.evidence)
                .containsExactlyInAnyOrder(
                        "declined-burst[d1, d2, tokyo]", "impossible-travel[d2, tokyo]");
    }

    @Test
    void stateAndTimersReturnToZeroWhenCardsGoQuiet() throws Exception {
        send(tx("p", "c3", "1.00", 48.85, 2.35, true, 1));
        send(tx("x", "c4", "30.00", 48.85, 2.35, false, 2));
        harness.processWatermark1(new Watermark(at(5)));
        assertThat(stateEntries()).isPositive();
        // The longest window is impossible travel's memory (6 h by default).
        harness.processWatermark1(new Watermark(at(5) + Duration.ofHours(7).toMillis()));
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(alerts()).isEmpty();
    }

    @Test
    void eventsBehindTheWatermarkAreLate() throws Exception {
        harness.processWatermark1(new Watermark(at(10)));
        send(tx("old", "c5", "1.00", 48.85, 2.35, false, 9));
        assertThat(harness.getSideOutput(FraudDetectionJob.LATE_TRANSACTIONS))
                .extracting(r -> r.getValue().eventId)
                .containsExactly("old");
    }

    private void send(CardTransaction tx) throws Exception {
        harness.processElement1(new StreamRecord<>(tx, tx.eventTime));
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    private static long at(int minute) {
        return T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
    }

    private static CardTransaction tx(
            String id,
            String card,
            String amount,
            double lat,
            double lon,
            boolean declined,
            int m) {
        return new CardTransaction(
                id,
                card,
                "a1",
                "shop",
                new BigDecimal(amount),
                "EUR",
                lat,
                lon,
                declined ? AuthorizationResult.DECLINED : AuthorizationResult.APPROVED,
                at(m));
    }
}
