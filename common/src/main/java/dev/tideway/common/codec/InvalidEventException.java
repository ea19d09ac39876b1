package dev.tideway.common.codec;

/** Thrown inside a codec when a field breaks a rule; turned into a DecodeResult at the boundary. */
final class InvalidEventException extends RuntimeException {
    InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
