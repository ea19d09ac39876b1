package dev.tideway.jobs.fraud;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** An operator harness around one keyed rule, keyed by card. */
final class RuleHarness implements AutoCloseable {
    final KeyedOneInputStreamOperatorTestHarness<String, CardTransaction, Alert> harness;

    RuleHarness(KeyedProcessFunction<String, CardTransaction, Alert> rule) throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(rule), tx -> tx.cardId, Types.STRING);
        harness.open();
    }

    RuleHarness send(CardTransaction... transactions) throws Exception {
        for (CardTransaction tx : transactions) {
            harness.processElement(tx, tx.eventTime);
        }
        return this;
    }

    RuleHarness watermark(long time) throws Exception {
        harness.processWatermark(time);
        return this;
    }

    List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    int stateEntries() {
        return harness.numKeyedStateEntries();
    }

    int timers() {
        return harness.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
