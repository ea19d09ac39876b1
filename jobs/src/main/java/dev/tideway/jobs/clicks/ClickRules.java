package dev.tideway.jobs.clicks;

import java.io.Serializable;
import java.time.Duration;

/** The click-stream job's time spans; see {@link ClickOptions} for their meaning. */
public record ClickRules(Duration sessionGap, Duration funnelWindow, Duration abandonTimeout)
        implements Serializable {

    public ClickRules {
        positive(sessionGap, ClickOptions.SESSION_GAP.key());
        positive(funnelWindow, ClickOptions.FUNNEL_WINDOW.key());
        positive(abandonTimeout, ClickOptions.ABANDON_TIMEOUT.key());
    }

    public static ClickRules defaults() {
        return ClickOptions.rules(new org.apache.flink.configuration.Configuration());
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }
}
