package dev.tideway.rules;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.engine.RuleEngineOperator;
import dev.tideway.rules.engine.ShipEvents;
import dev.tideway.rules.engine.ShippedEvent;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.language.RuleDefinition;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
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
 * {@link RuleEngineOptions} are read from the environment's configuration.
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
        return detect(events, ruleUpdates, schema, seedRules, lateEvents, Duration.ZERO);
    }

    /**
     * As {@link #detect(KeyedStream, DataStream, EventSchema, List, OutputTag)}, and drops an event
     * whose id its key already had (a producer's retry) until the watermark has passed the first
     * one's event time by {@code dedupWindow}; counted in {@code tidewayDuplicates}. The ids live
     * in the key's engine state: no keyed operator of its own, no shuffle by event id.
     *
     * @param dedupWindow zero to keep every event
     */
    public static <K, E> SingleOutputStreamOperator<Alert> detect(
            KeyedStream<E, K> events,
            DataStream<String> ruleUpdates,
            EventSchema<E> schema,
            List<RuleDefinition> seedRules,
            OutputTag<E> lateEvents,
            Duration dedupWindow) {
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("the de-duplication window must not be negative");
        }
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
        int cacheKeys =
                events.getExecutionEnvironment()
                        .getConfiguration()
                        .get(RuleEngineOptions.STATE_CACHE_KEYS);
        if (cacheKeys < 0) {
            throw new IllegalArgumentException(
                    RuleEngineOptions.STATE_CACHE_KEYS.key()
                            + " must be 0 (no cache) or more, not "
                            + cacheKeys);
        }
        RuleEngineOperator<K, E> engine =
                new RuleEngineOperator<>(
                        schema,
                        eventType,
                        seedRules,
                        lateEvents,
                        RULE_STATUS,
                        cacheKeys,
                        dedupWindow.toMillis());
        if (schema.canRebuild() && Types.STRING.equals(events.getKeyType())) {
            // The operator takes either form of event: it checks each record's class.
            @SuppressWarnings({"unchecked", "rawtypes"})
            TwoInputStreamOperator<ShippedEvent, String, Alert> shippedEngine =
                    (TwoInputStreamOperator) engine;
            return shipEncoded(events, schema)
                    .connect(ruleUpdates.broadcast())
                    .transform("rules engine", Types.POJO(Alert.class), shippedEngine);
        }
        return events.connect(ruleUpdates.broadcast())
                .transform("rules engine", Types.POJO(Alert.class), engine);
    }

    /**
     * The events encoded in the task that produced them, keyed as {@code events} is: the exchange
     * to the engine then carries the engine's own form, and the engine neither deserializes the
     * event objects nor encodes them again (ShippedEvent). The keyed stream's own exchange is
     * replaced: this takes the stream it partitioned.
     */
    @SuppressWarnings("unchecked")
    private static <K, E> KeyedStream<ShippedEvent, K> shipEncoded(
            KeyedStream<E, K> events, EventSchema<E> schema) {
        Transformation<E> partitioned =
                (Transformation<E>) events.getTransformation().getInputs().get(0);
        DataStream<E> unkeyed = new DataStream<>(events.getExecutionEnvironment(), partitioned);
        KeySelector<E, String> key = (KeySelector<E, String>) events.getKeySelector();
        SingleOutputStreamOperator<ShippedEvent> shipped =
                unkeyed.map(new ShipEvents<>(schema, key), ShippedEvent.TYPE)
                        .name("encode for the rules engine")
                        // Chained to the task that produced the events, whatever its parallelism.
                        .setParallelism(partitioned.getParallelism());
        return (KeyedStream<ShippedEvent, K>)
                (KeyedStream<ShippedEvent, ?>) shipped.keyBy(ShippedEvent::key, Types.STRING);
    }
}
