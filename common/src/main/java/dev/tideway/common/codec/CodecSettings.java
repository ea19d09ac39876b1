package dev.tideway.common.codec;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits every codec enforces. The defaults suit production; tests may pin the clock.
 *
 * @param maxPayloadBytes larger records are rejected before parsing (a 1 MiB blob is not an event)
 * @param maxFutureSkew how far ahead of the clock an event time may be; producers' clocks drift a
 *     little, but a timestamp far ahead is bad input: as event time it would jump the watermark
 * @param clock the clock "now" is read from
 */
public record CodecSettings(int maxPayloadBytes, Duration maxFutureSkew, Clock clock)
        implements Serializable {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(10);

    public CodecSettings {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxPayloadBytes must be > 0, was " + maxPayloadBytes);
        }
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(clock, "clock");
    }

    public static CodecSettings defaults() {
        return new CodecSettings(
                DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_FUTURE_SKEW, Clock.systemUTC());
    }

    public CodecSettings withClock(Clock newClock) {
        return new CodecSettings(maxPayloadBytes, maxFutureSkew, newClock);
    }
}
