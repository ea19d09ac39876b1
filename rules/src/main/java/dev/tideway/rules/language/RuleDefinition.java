package dev.tideway.rules.language;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A rule as written (see the README's "Tideway rules" for the language): its id and version, the
 * key it groups by, its steps, an optional absence at the end, the window everything must happen
 * in, and from which event time on it applies. A definition with {@code remove} set removes the
 * rule with that id instead.
 *
 * @param activeFrom event time (epoch millis) from which this version applies; Long.MIN_VALUE for
 *     "as soon as it arrives"
 * @param absent condition that must NOT occur after the last step until the window closes, or null
 * @param json the definition in canonical JSON, as stored in checkpoints and reported
 */
public record RuleDefinition(
        String id,
        int version,
        String key,
        Duration within,
        List<StepDefinition> steps,
        StepDefinition absent,
        long activeFrom,
        String detail,
        boolean remove,
        String json)
        implements Serializable {

    /** The language version this parser reads; rules may state it as {@code "language": 1}. */
    public static final int LANGUAGE_VERSION = 1;

    public boolean hasActiveFrom() {
        return activeFrom != Long.MIN_VALUE;
    }
}
