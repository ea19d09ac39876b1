package dev.tideway.jobs.fraud;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/** Thresholds and windows of the fraud rules; see {@link FraudOptions} for their meaning. */
public record FraudRules(
        BigDecimal smallAmount,
        BigDecimal largeAmount,
        Duration cardTestingWindow,
        int declines,
        Duration declinesWindow,
        double maxSpeedKmh,
        double minDistanceKm,
        Duration travelMemory,
        Duration dedupWindow)
        implements Serializable {

    public FraudRules {
        if (smallAmount.compareTo(largeAmount) >= 0) {
            throw new IllegalArgumentException(
                    FraudOptions.SMALL_AMOUNT.key()
                            + " ("
                            + smallAmount
                            + ") must be below "
                            + FraudOptions.LARGE_AMOUNT.key()
                            + " ("
                            + largeAmount
                            + ")");
        }
        if (declines < 2) {
            throw new IllegalArgumentException(
                    FraudOptions.DECLINES.key() + " must be at least 2, was " + declines);
        }
        positive(cardTestingWindow, FraudOptions.CARD_TESTING_WINDOW.key());
        positive(declinesWindow, FraudOptions.DECLINES_WINDOW.key());
        positive(travelMemory, FraudOptions.TRAVEL_MEMORY.key());
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException(
                    FraudOptions.DEDUP_WINDOW.key() + " must not be negative, was " + dedupWindow);
        }
        if (!(maxSpeedKmh > 0) || !(minDistanceKm >= 0)) {
            throw new IllegalArgumentException(
                    FraudOptions.MAX_SPEED_KMH.key()
                            + " must be > 0 and "
                            + FraudOptions.MIN_DISTANCE_KM.key()
                            + " >= 0");
        }
    }

    public static FraudRules defaults() {
        return FraudOptions.rules(new org.apache.flink.configuration.Configuration());
    }

    private static void positive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }
}
