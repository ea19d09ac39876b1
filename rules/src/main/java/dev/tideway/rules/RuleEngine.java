package dev.tideway.rules;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.engine.RuleEngineOperator;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.language.RuleDefinition;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Puts the rules engine on a keyed stream:
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Alert> alerts =
 *         RuleEngine.detect(cards, ruleUpdates, schema, seedRules, lateTransactions);
 * DataStream<RuleStatus> status = alerts.getSideOutput(RuleEngine.RULE_STATUS);
 * }</pre>
 *
 * {@code ruleUpdates} carries rule JSON (one rule or removal per record) from a control topic; pass
 * an empty stream for rules that only change with a restart. Set a {@code uid} on the result.
 */
public final class RuleEngine {
    /** What happened to each rule update (subtask 0 reports, once per update). */
    public static final OutputTag<RuleStatus> RULE_STATUS =
            new OutputTag<>("rule-status", Types.POJO(RuleStatus.class));

    private RuleEngine() {}

    public static <K, E> SingleOutputStreamOperator<Alert> detect(
            KeyedStream<E, K> events,
            DataStream<String> ruleUpdates,
            EventSchema<E> schema,
            List<RuleDefinition> seedRules,
            OutputTag<E> lateEvents) {
        // Fail at build time, not on the cluster: every seed must compile against the schema.
        RuleSet check = new RuleSet(schema);
        for (RuleDefinition rule : seedRules) {
            RuleSet.Outcome outcome = check.apply(rule);
            if (!RuleStatus.ACTIVE.equals(outcome.status())) {
                throw new IllegalArgumentException(
                        "rule " + outcome.ruleId() + " cannot run: " + outcome.reason());
            }
        }
        TypeInformation<E> eventType = events.getType();
        return events.connect(ruleUpdates.broadcast())
                .transform(
                        "rules engine",
                        Types.POJO(Alert.class),
                        new RuleEngineOperator<K, E>(
                                schema, eventType, seedRules, lateEvents, RULE_STATUS));
    }
}
