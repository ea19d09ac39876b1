package dev.tideway.common.codec;

import java.util.Objects;

/**
 * The outcome of decoding one record: either a valid event or the reason it was rejected. Decoders
 * return this instead of throwing, so that bad input becomes a dead letter, not a crash.
 */
public final class DecodeResult<T> {
    private final T value;
    private final String error;

    private DecodeResult(T value, String error) {
        this.value = value;
        this.error = error;
    }

    public static <T> DecodeResult<T> valid(T value) {
        return new DecodeResult<>(Objects.requireNonNull(value), null);
    }

    public static <T> DecodeResult<T> invalid(String reason) {
        return new DecodeResult<>(null, Objects.requireNonNull(reason));
    }

    public boolean isValid() {
        return error == null;
    }

    /** The decoded event; only when {@link #isValid()}. */
    public T value() {
        if (error != null) {
            throw new IllegalStateException("invalid record has no value: " + error);
        }
        return value;
    }

    /** Why the record was rejected; only when not {@link #isValid()}. */
    public String error() {
        if (error == null) {
            throw new IllegalStateException("valid record has no error");
        }
        return error;
    }

    @Override
    public String toString() {
        return isValid() ? "valid(" + value + ")" : "invalid(" + error + ")";
    }
}
