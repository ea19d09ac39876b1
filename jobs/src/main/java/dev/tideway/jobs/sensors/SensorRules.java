package dev.tideway.jobs.sensors;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/** Window size and rule settings of the sensor job; see {@link SensorOptions} for meanings. */
public record SensorRules(
        Duration window,
        TreeMap<String, Double> thresholds,
        int thresholdCount,
        Duration thresholdWindow,
        int jumpReadings,
        double jumpFactor,
        Duration jumpMemory,
        Duration silenceTimeout,
        Duration silenceRetention)
        implements Serializable {

    public SensorRules {
        positive(window, SensorOptions.WINDOW.key());
        positive(thresholdWindow, SensorOptions.THRESHOLD_WINDOW.key());
        positive(jumpMemory, SensorOptions.JUMP_MEMORY.key());
        positive(silenceTimeout, SensorOptions.SILENCE_TIMEOUT.key());
        positive(silenceRetention, SensorOptions.SILENCE_RETENTION.key());
        if (thresholdCount < 1) {
            throw new IllegalArgumentException(
                    SensorOptions.THRESHOLD_COUNT.key()
                            + " must be at least 1, was "
                            + thresholdCount);
        }
        if (jumpReadings < 1) {
            throw new IllegalArgumentException(
                    SensorOptions.JUMP_READINGS.key() + " must be at least 1, was " + jumpReadings);
        }
        if (!(jumpFactor > 0) || !Double.isFinite(jumpFactor)) {
            throw new IllegalArgumentException(
                    SensorOptions.JUMP_FACTOR.key() + " must be a number > 0, was " + jumpFactor);
        }
        thresholds = new TreeMap<>(thresholds);
    }

    public static SensorRules defaults() {
        return SensorOptions.rules(new Configuration());
    }

    /** The threshold of a metric, or null if the threshold rule does not check it. */
    public Double thresholdOf(String metric) {
        return thresholds.get(metric);
    }

    /** The limits as an unmodifiable view, for the generator and tests. */
    public Map<String, Double> thresholdsView() {
        return java.util.Collections.unmodifiableMap(thresholds);
    }

    private static void positive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }
}
