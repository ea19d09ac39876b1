package dev.tideway.rules.engine;

import java.util.ArrayList;

/**
 * What one rule version keeps for one key: partial matches, and completed matches held back while
 * an earlier-starting partial match may still complete (flink-cep emits matches in order of their
 * start). Both lists are ordered by start.
 */
final class RuleRun {
    final String ruleId;
    final int version;
    final ArrayList<Partial> partials;
    final ArrayList<Partial> completed;

    RuleRun(String ruleId, int version) {
        this(ruleId, version, new ArrayList<>(2), new ArrayList<>(0));
    }

    RuleRun(String ruleId, int version, ArrayList<Partial> partials, ArrayList<Partial> completed) {
        this.ruleId = ruleId;
        this.version = version;
        this.partials = partials;
        this.completed = completed;
    }

    boolean isEmpty() {
        return partials.isEmpty() && completed.isEmpty();
    }

    void hold(Partial match) {
        int i = completed.size();
        while (i > 0 && completed.get(i - 1).startSeq > match.startSeq) {
            i--;
        }
        completed.add(i, match);
    }
}
