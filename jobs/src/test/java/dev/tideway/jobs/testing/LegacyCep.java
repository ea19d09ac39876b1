package dev.tideway.jobs.testing;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.testing.EngineAndReference;
import dev.tideway.rules.testing.EngineAndReference.Item;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Runs a hand-written flink-cep rule of an earlier release over the same input as {@link
 * EngineAndReference}, in flink-cep's own CepOperator, to show that the rule written in the rule
 * language keeps its behaviour.
 */
public final class LegacyCep {
    private LegacyCep() {}

    /** What the old operator emitted: alerts (main output, or the given side output) and late. */
    public record Output(List<Alert> alerts, List<String> late) {
        /**
         * Alerts rendered by {@code render}, in emission order, grouped like {@link
         * EngineAndReference.Output#alertsByKey}: by rule and key, {@code "rule|key"}.
         */
        public Map<String, List<String>> byKey(Function<Alert, String> render) {
            Map<String, List<String>> out = new TreeMap<>();
            for (Alert a : alerts) {
                out.computeIfAbsent(a.rule + "|" + a.key, k -> new ArrayList<>())
                        .add(render.apply(a));
            }
            return out;
        }
    }

    /**
     * @param timeoutHandling whether {@code function} handles timed-out partial matches
     * @param alertsTag where the function puts its alerts, or null for the main output
     */
    public static <E> Output run(
            Pattern<E, E> pattern,
            PatternProcessFunction<E, Alert> function,
            boolean timeoutHandling,
            OutputTag<Alert> alertsTag,
            OutputTag<E> lateTag,
            TypeInformation<E> type,
            KeySelector<E, String> key,
            Function<E, String> eventId,
            List<Item<E>> input)
            throws Exception {
        CepOperator<E, String, Alert> op =
                new CepOperator<>(
                        type.createSerializer(new SerializerConfigImpl()),
                        false,
                        NFACompiler.compileFactory(pattern, timeoutHandling),
                        null,
                        pattern.getAfterMatchSkipStrategy(),
                        function,
                        lateTag);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, key, Types.STRING)) {
            h.open();
            for (Item<E> item : input) {
                if (item.event() == null) {
                    h.processWatermark(item.time());
                } else {
                    h.processElement(item.event(), item.time());
                }
            }
            List<Alert> alerts;
            if (alertsTag == null) {
                alerts = h.extractOutputValues();
            } else {
                alerts = values(h.getSideOutput(alertsTag));
            }
            // Rendered as EngineAndReference renders late events: id@timestamp, sorted.
            List<String> late = new ArrayList<>();
            var lateRecords = h.getSideOutput(lateTag);
            if (lateRecords != null) {
                for (StreamRecord<E> r : lateRecords) {
                    late.add(eventId.apply(r.getValue()) + "@" + r.getTimestamp());
                }
            }
            java.util.Collections.sort(late);
            return new Output(alerts, late);
        }
    }

    private static <T> List<T> values(Collection<StreamRecord<T>> records) {
        List<T> out = new ArrayList<>();
        if (records != null) {
            for (StreamRecord<T> r : records) {
                out.add(r.getValue());
            }
        }
        return out;
    }
}
