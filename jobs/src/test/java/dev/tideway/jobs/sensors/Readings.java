package dev.tideway.jobs.sensors;

import dev.tideway.common.model.SensorReading;
import java.time.Instant;

/** Named instants and readings for the rule tests. */
final class Readings {
    /** A round start, so that windows and timers land on readable instants. */
    static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    private Readings() {}

    static long at(long offsetMillis) {
        return T0 + offsetMillis;
    }

    static long sec(long s) {
        return s * 1000;
    }

    static long min(long m) {
        return m * 60_000;
    }

    static SensorReading temperature(String id, String sensor, double value, long time) {
        return new SensorReading(id, sensor, "plant-a", "temperature", value, "celsius", time);
    }

    static SensorReading pressure(String id, String sensor, double value, long time) {
        return new SensorReading(id, sensor, "plant-a", "pressure", value, "kPa", time);
    }
}
