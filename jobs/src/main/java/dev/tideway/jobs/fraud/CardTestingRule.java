package dev.tideway.jobs.fraud;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Card testing: a small charge (a fraudster checking that a stolen card works) followed by a large
 * charge on the same card within a window. Written with flink-cep, in event time: CEP sorts each
 * card's events by time before matching, so out-of-order input within the watermark bound is
 * matched exactly, and partial matches expire with the window.
 */
public final class CardTestingRule {
    public static final String NAME = "card-testing";

    private CardTestingRule() {}

    public static Pattern<CardTransaction, CardTransaction> pattern(FraudRules rules) {
        BigDecimal small = rules.smallAmount();
        BigDecimal large = rules.largeAmount();
        // After a match, start over behind it: one alert per probe-then-charge.
        return Pattern.<CardTransaction>begin("small", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(t -> t.amount.compareTo(small) <= 0))
                .followedBy("large")
                .where(SimpleCondition.of(t -> t.amount.compareTo(large) >= 0))
                .within(rules.cardTestingWindow());
    }

    public static SingleOutputStreamOperator<Alert> detect(
            KeyedStream<CardTransaction, String> cards, FraudRules rules) {
        return CEP.pattern(cards, pattern(rules))
                .inEventTime()
                .sideOutputLateData(FraudDetectionJob.LATE_TRANSACTIONS)
                .process(new ToAlert(rules), Types.POJO(Alert.class));
    }

    /** Turns a match into an alert with both charges as evidence. */
    static final class ToAlert extends PatternProcessFunction<CardTransaction, Alert> {
        private final String window;

        ToAlert(FraudRules rules) {
            this.window = rules.cardTestingWindow().toString();
        }

        @Override
        public void processMatch(
                Map<String, List<CardTransaction>> match, Context ctx, Collector<Alert> out) {
            CardTransaction small = match.get("small").get(0);
            CardTransaction large = match.get("large").get(0);
            out.collect(
                    new Alert(
                            NAME,
                            large.cardId,
                            List.of(small.eventId, large.eventId),
                            "probe of "
                                    + small.amount
                                    + " "
                                    + small.currency
                                    + " then "
                                    + large.amount
                                    + " "
                                    + large.currency
                                    + " within "
                                    + window,
                            large.eventTime,
                            System.currentTimeMillis()));
        }
    }
}
