package dev.tideway.rules.testing;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.cep.CepReference;
import dev.tideway.rules.engine.RuleEngineOperator;
import dev.tideway.rules.engine.ShipEvents;
import dev.tideway.rules.engine.ShippedEvent;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.language.RuleDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Runs one rule over the same input twice, in operator test harnesses: once on the Tideway engine,
 * once on flink-cep's own {@code CepOperator} with the rule compiled to a Pattern. The alerts
 * (rule, key, evidence, text, event time) and the late events are returned for comparison.
 */
public final class EngineAndReference<E> {
    /** One input item: an event at a timestamp, or a watermark (event == null). */
    public record Item<E>(E event, long time) {
        public static <E> Item<E> event(E e, long ts) {
            return new Item<>(e, ts);
        }

        public static <E> Item<E> watermark(long t) {
            return new Item<>(null, t);
        }
    }

    /**
     * Alerts in emission order, rendered without the wall-clock detection time, and late events.
     * Across keys the two emit in different orders (flink-cep per key timer, the engine in event
     * time); {@link #alertsByKey} is the order that must agree.
     */
    public record Output(List<String> alerts, List<String> late) {
        public java.util.Map<String, List<String>> alertsByKey() {
            java.util.Map<String, List<String>> byKey = new java.util.TreeMap<>();
            for (String a : alerts) {
                String[] parts = a.split("\\|", 3);
                byKey.computeIfAbsent(parts[0] + "|" + parts[1], k -> new ArrayList<>()).add(a);
            }
            return byKey;
        }

        public java.util.Map<String, List<String>> lateSorted() {
            List<String> sorted = new ArrayList<>(late);
            java.util.Collections.sort(sorted);
            return java.util.Map.of("late", sorted);
        }
    }

    private final EventSchema<E> schema;
    private final TypeInformation<E> type;
    private final KeySelector<E, String> key;

    public EngineAndReference(
            EventSchema<E> schema, TypeInformation<E> type, KeySelector<E, String> key) {
        this.schema = schema;
        this.type = type;
        this.key = key;
    }

    public static String render(Alert a) {
        return a.rule + "|" + a.key + "|" + a.evidence + "|" + a.detail + "|" + a.eventTime;
    }

    public Output engine(RuleDefinition rule, List<Item<E>> input) throws Exception {
        return engine(List.of(rule), input);
    }

    /**
     * All rules in one engine operator, as a job runs them. Its state cache holds two keys, fewer
     * than the streams have, so that states are evicted and written back all the time.
     */
    public Output engine(List<RuleDefinition> rules, List<Item<E>> input) throws Exception {
        return engine(rules, input, 2);
    }

    /** All rules in one engine operator with a state cache of {@code cacheKeys} keys. */
    public Output engine(List<RuleDefinition> rules, List<Item<E>> input, int cacheKeys)
            throws Exception {
        OutputTag<E> late = new OutputTag<>("late", type);
        RuleEngineOperator<String, E> op =
                new RuleEngineOperator<>(
                        schema, type, rules, late, RuleEngine.RULE_STATUS, cacheKeys);
        // A schema that can rebuild its events gets them encoded, as RuleEngine ships them.
        ShipEvents<E> ship = schema.canRebuild() ? new ShipEvents<>(schema, key) : null;
        @SuppressWarnings({"unchecked", "rawtypes"})
        TwoInputStreamOperator<Object, String, Alert> anyInput = (TwoInputStreamOperator) op;
        try (KeyedTwoInputStreamOperatorTestHarness<String, Object, String, Alert> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        anyInput, new EitherKey<>(key), r -> "", Types.STRING)) {
            h.open();
            for (Item<E> item : input) {
                if (item.event == null) {
                    h.processWatermark1(
                            new org.apache.flink.streaming.api.watermark.Watermark(item.time));
                } else {
                    Object event = ship != null ? ship.map(item.event) : item.event;
                    h.processElement1(new StreamRecord<>(event, item.time));
                }
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            Output out =
                    new Output(
                            alerts(h.extractOutputValues()),
                            late((Collection) h.getSideOutput((OutputTag) late)));
            return out;
        }
    }

    /** The key of an event or of a shipped one. */
    private static final class EitherKey<E> implements KeySelector<Object, String> {
        private final KeySelector<E, String> key;

        EitherKey(KeySelector<E, String> key) {
            this.key = key;
        }

        @Override
        @SuppressWarnings("unchecked")
        public String getKey(Object event) throws Exception {
            return event instanceof ShippedEvent
                    ? ((ShippedEvent) event).key()
                    : key.getKey((E) event);
        }
    }

    /** Each rule in its own flink-cep operator; alerts concatenated, late events of the first. */
    public Output reference(List<RuleDefinition> rules, List<Item<E>> input) throws Exception {
        List<String> alerts = new ArrayList<>();
        List<String> late = null;
        for (RuleDefinition rule : rules) {
            Output one = reference(rule, input);
            alerts.addAll(one.alerts());
            late = late == null ? one.late() : late;
        }
        return new Output(alerts, late);
    }

    public Output reference(RuleDefinition rule, List<Item<E>> input) throws Exception {
        CompiledRule compiled = CompiledRule.compile(rule, schema);
        Pattern<E, E> pattern = CepReference.pattern(compiled, schema);
        OutputTag<E> late = new OutputTag<>("late", type);
        CepOperator<E, String, Alert> op =
                new CepOperator<>(
                        type.createSerializer(new ExecutionConfig().getSerializerConfig()),
                        false,
                        NFACompiler.compileFactory(pattern, false),
                        null,
                        pattern.getAfterMatchSkipStrategy(),
                        new CepReference.ToAlert<>(compiled, schema),
                        late);
        try (KeyedOneInputStreamOperatorTestHarness<String, E, Alert> h =
                new KeyedOneInputStreamOperatorTestHarness<>(op, key, Types.STRING)) {
            h.open();
            for (Item<E> item : input) {
                if (item.event == null) {
                    h.processWatermark(item.time);
                } else {
                    h.processElement(item.event, item.time);
                }
            }
            return new Output(alerts(h.extractOutputValues()), late(h.getSideOutput(late)));
        }
    }

    private static List<String> alerts(List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(render(a));
        }
        return out;
    }

    private List<String> late(java.util.Collection<StreamRecord<E>> records) {
        List<String> out = new ArrayList<>();
        if (records != null) {
            for (StreamRecord<E> r : records) {
                out.add(schema.eventId(r.getValue()) + "@" + r.getTimestamp());
            }
        }
        return out;
    }
}
