package dev.tideway.common.codec;

import java.io.Serializable;

/** Turns events into bytes on the wire and back, validating strictly on the way in. */
public interface EventCodec<T> extends Serializable {

    /** Decodes and validates; never throws on bad input. */
    DecodeResult<T> decode(byte[] payload);

    byte[] encode(T event);

    Class<T> eventType();
}
