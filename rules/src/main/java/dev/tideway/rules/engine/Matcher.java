package dev.tideway.rules.engine;

import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.expression.Bindings;
import dev.tideway.rules.expression.EventView;
import java.util.ArrayList;

/**
 * Runs one rule's state machine for one key, with flink-cep's semantics for the patterns the
 * language can express (a sequence of steps with {@code times}, {@code next} / {@code followedBy},
 * an optional trailing absence, {@code within}, skip past last event). Events must come in the
 * key's event-time order; the operator sorts them. Read in flink-cep 2.2.1 ({@code NFA}, {@code
 * NFACompiler}) and reproduced here:
 *
 * <ul>
 *   <li>before the events of a timestamp, partial matches with {@code ts - start >= within} time
 *       out: a partial waiting only for its absence window becomes a match, others are dropped;
 *   <li>each partial match advances deterministically: the event is taken if the step's condition
 *       holds, else skipped ({@code followedBy}) or the partial ends ({@code next});
 *   <li>every event that meets the first step's condition starts a new partial match;
 *   <li>completed matches are emitted in order of start, held back while an earlier-starting
 *       partial match lives; emitting one prunes every partial and held match that started at or
 *       before its last event (skip past last event).
 * </ul>
 */
final class Matcher {
    /** Receives the matches, in order. */
    interface Matches {
        void match(CompiledRule rule, Partial match, boolean byAbsence);
    }

    private final int fields;
    private final PartialBindings bindings = new PartialBindings();

    /**
     * @param fields how many fields the events' schema has
     */
    Matcher(int fields) {
        this.fields = fields;
    }

    /** Times out what the window closed at {@code ts}. Returns whether anything changed. */
    boolean advanceTime(RuleRun run, CompiledRule rule, long ts, Matches out) {
        long within = rule.withinMillis();
        boolean changed = false;
        ArrayList<Partial> partials = run.partials;
        for (int i = 0; i < partials.size(); ) {
            Partial p = partials.get(i);
            if (ts - p.startTs >= within) {
                partials.remove(i);
                changed = true;
                if (p.stage == rule.stages()) {
                    run.hold(p); // the absence held for the whole window
                }
            } else {
                i++;
            }
        }
        if (changed) {
            emitReady(run, rule, out);
        }
        return changed;
    }

    /** Feeds one event (the key's next in event time). Returns whether anything changed. */
    boolean process(
            RuleRun run, CompiledRule rule, EncodedEvent event, long ts, long seq, Matches out) {
        bindings.current = event;
        int stages = rule.stages();
        boolean changed = false;
        // Partials that live on are moved to the front of the same list (no list per event).
        ArrayList<Partial> partials = run.partials;
        int kept = 0;
        for (int i = 0, n = partials.size(); i < n; i++) {
            Partial p = partials.get(i);
            bindings.partial = p;
            if (p.stage == stages) {
                // Waiting out the absence window: a matching event ends it.
                if (rule.absent().bool(bindings)) {
                    changed = true;
                } else {
                    partials.set(kept++, p);
                }
                continue;
            }
            if (rule.absenceStopsAt(p.stage) && rule.absent().bool(bindings)) {
                changed = true;
                continue;
            }
            int step = rule.stageStep(p.stage);
            if (rule.condition(step).bool(bindings)) {
                p.events.add(capture(rule, event, step, seq));
                p.stage++;
                changed = true;
                if (p.stage == stages && !rule.hasAbsent()) {
                    run.hold(p);
                } else {
                    partials.set(kept++, p);
                }
            } else if (rule.mayIgnoreAt(p.stage)) {
                partials.set(kept++, p);
            } else {
                changed = true;
            }
        }
        partials.subList(kept, partials.size()).clear();
        bindings.partial = null;
        if (rule.condition(0).bool(bindings)) {
            ArrayList<CapturedEvent> events = new ArrayList<>(stages);
            events.add(capture(rule, event, 0, seq));
            Partial started = new Partial(1, ts, seq, events);
            changed = true;
            if (stages == 1 && !rule.hasAbsent()) {
                run.hold(started);
            } else {
                partials.add(started);
            }
        }
        if (!run.completed.isEmpty()) {
            emitReady(run, rule, out);
        }
        bindings.current = null;
        return changed;
    }

    /** Emits held matches that no earlier-starting partial match can precede any more. */
    private static void emitReady(RuleRun run, CompiledRule rule, Matches out) {
        while (!run.completed.isEmpty()) {
            Partial match = run.completed.get(0);
            if (!run.partials.isEmpty() && run.partials.get(0).startSeq < match.startSeq) {
                return;
            }
            run.completed.remove(0);
            long pruneUpTo = match.lastSeq();
            run.partials.removeIf(p -> p.startSeq <= pruneUpTo);
            run.completed.removeIf(p -> p.startSeq <= pruneUpTo);
            out.match(rule, match, match.stage == rule.stages() && rule.hasAbsent());
        }
    }

    private CapturedEvent capture(CompiledRule rule, EncodedEvent event, int step, long seq) {
        Object[] values = new Object[fields];
        for (int field : rule.capturedFields()) {
            values[field] = event.value(field);
        }
        return new CapturedEvent(step, seq, values);
    }

    /** Earliest time at which advancing time could emit something, or -1 for none. */
    static long nextEmission(RuleRun run, CompiledRule rule) {
        boolean waitsForTime = !run.completed.isEmpty();
        long earliest = Long.MAX_VALUE;
        for (Partial p : run.partials) {
            waitsForTime |= p.stage == rule.stages();
            earliest = Math.min(earliest, p.startTs + rule.withinMillis());
        }
        return waitsForTime && earliest != Long.MAX_VALUE ? earliest : -1;
    }

    /** Time by which every partial match of the run has timed out. */
    static long allExpired(RuleRun run, CompiledRule rule) {
        long latest = Long.MIN_VALUE;
        for (Partial p : run.partials) {
            latest = Math.max(latest, p.startTs + rule.withinMillis());
        }
        return latest;
    }

    /** Bindings of a partial match: the event under test and each step's last event. */
    private static final class PartialBindings implements Bindings {
        EventView current;
        Partial partial;

        @Override
        public EventView current() {
            return current;
        }

        @Override
        public EventView step(int step) {
            return partial.lastOf(step);
        }
    }
}
