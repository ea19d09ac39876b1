package dev.tideway.rules.cep;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.expression.Bindings;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.expression.EventView;
import dev.tideway.rules.language.Contiguity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The same rule as a flink-cep pattern, evaluating the same compiled conditions: the reference the
 * engine is tested against, and the engine jobs fall back to with their engine option. One CEP
 * operator per rule, in event time, skip past last event.
 */
public final class CepReference {
    private CepReference() {}

    public static <E> Pattern<E, E> pattern(CompiledRule rule, EventSchema<E> schema) {
        Pattern<E, E> p =
                Pattern.<E>begin(rule.stepName(0), AfterMatchSkipStrategy.skipPastLastEvent())
                        .where(new StepCondition<>(rule, schema, 0));
        p = quantify(p, rule, 0);
        for (int i = 1; i < rule.steps(); i++) {
            p =
                    rule.contiguity(i) == Contiguity.NEXT
                            ? p.next(rule.stepName(i))
                            : p.followedBy(rule.stepName(i));
            p = quantify(p.where(new StepCondition<>(rule, schema, i)), rule, i);
        }
        if (rule.hasAbsent()) {
            p = p.notFollowedBy(rule.absentName()).where(new StepCondition<>(rule, schema, -1));
        }
        return p.within(rule.definition().within());
    }

    private static <E> Pattern<E, E> quantify(Pattern<E, E> p, CompiledRule rule, int step) {
        int times = rule.times(step);
        if (times > 1) {
            p = p.times(times);
            if (rule.contiguity(step) == Contiguity.NEXT) {
                p = p.consecutive();
            }
        }
        return p;
    }

    /** The rule on a keyed stream with flink-cep; late events go to {@code late}. */
    public static <K, E> SingleOutputStreamOperator<Alert> detect(
            KeyedStream<E, K> events, CompiledRule rule, EventSchema<E> schema, OutputTag<E> late) {
        return CEP.pattern(events, pattern(rule, schema))
                .inEventTime()
                .sideOutputLateData(late)
                .process(new ToAlert<>(rule, schema), Types.POJO(Alert.class));
    }

    /** A step's compiled condition, seeing earlier steps through flink-cep's context. */
    static final class StepCondition<E> extends IterativeCondition<E> {
        private static final long serialVersionUID = 1L;
        private final CompiledRule rule;
        private final EventSchema<E> schema;
        private final int step;

        StepCondition(CompiledRule rule, EventSchema<E> schema, int step) {
            this.rule = rule;
            this.schema = schema;
            this.step = step;
        }

        @Override
        public boolean filter(E event, Context<E> ctx) throws Exception {
            EventView current = schema.liveView().of(event);
            Bindings bindings =
                    new Bindings() {
                        @Override
                        public EventView current() {
                            return current;
                        }

                        @Override
                        public EventView step(int earlier) {
                            E last = null;
                            try {
                                for (E e : ctx.getEventsForPattern(rule.stepName(earlier))) {
                                    last = e;
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return schema.liveView().of(last);
                        }
                    };
            return step < 0 ? rule.absent().bool(bindings) : rule.condition(step).bool(bindings);
        }
    }

    /** Builds the alert exactly as the engine does. */
    public static final class ToAlert<E> extends PatternProcessFunction<E, Alert> {
        private static final long serialVersionUID = 1L;
        private final CompiledRule rule;
        private final EventSchema<E> schema;

        public ToAlert(CompiledRule rule, EventSchema<E> schema) {
            this.rule = rule;
            this.schema = schema;
        }

        @Override
        public void processMatch(Map<String, List<E>> match, Context ctx, Collector<Alert> out) {
            List<String> evidence = new ArrayList<>();
            EventView[] lastOfStep = new EventView[rule.steps()];
            E first = null;
            E last = null;
            for (int i = 0; i < rule.steps(); i++) {
                for (E e : match.get(rule.stepName(i))) {
                    evidence.add(schema.eventId(e));
                    lastOfStep[i] = schema.liveView().of(e);
                    first = first == null ? e : first;
                    last = e;
                }
            }
            long eventTime =
                    rule.hasAbsent()
                            ? schema.eventTime(first) + rule.withinMillis()
                            : schema.eventTime(last);
            int keyField = schema.indexOf(schema.keyField());
            out.collect(
                    new Alert(
                            rule.id(),
                            schema.text(keyField, first),
                            evidence,
                            rule.detail(schema, lastOfStep),
                            eventTime,
                            System.currentTimeMillis()));
        }
    }
}
