package dev.tideway.rules.engine;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.expression.EventView;
import java.util.ArrayList;
import java.util.List;

/** Turns a match into an alert: the rule id, the key, every matched event's id as evidence. */
final class Alerts {
    private Alerts() {}

    static Alert of(
            EventSchema<?> schema, CompiledRule rule, String key, Partial match, boolean absence) {
        int idField = schema.indexOf(EventSchema.EVENT_ID);
        int timeField = schema.indexOf(EventSchema.EVENT_TIME);
        List<String> evidence = new ArrayList<>(match.events.size());
        EventView[] lastOfStep = new EventView[rule.steps()];
        for (CapturedEvent e : match.events) {
            evidence.add(e.text(idField));
            lastOfStep[e.step] = e;
        }
        CapturedEvent last = match.events.get(match.events.size() - 1);
        // An absence is established when its window closes; a sequence, at its last event.
        long eventTime =
                absence
                        ? (long) match.events.get(0).number(timeField) + rule.withinMillis()
                        : (long) last.number(timeField);
        return new Alert(
                rule.id(),
                key,
                evidence,
                rule.detail(schema, lastOfStep),
                eventTime,
                System.currentTimeMillis());
    }
}
