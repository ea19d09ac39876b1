package dev.tideway.common.codec;

import java.io.Serializable;

/** Turns events into bytes on the wire and back, validating strictly on the way in. */
public interface EventCodec<T> extends Serializable {

    /** Decodes and validates; never throws on bad input. */
    DecodeResult<T> decode(byte[] payload);

    byte[] encode(T event);

    Class<T> eventType();

    /** The event's time, epoch milliseconds: what watermarks and windows are built on. */
    long eventTimeOf(T event);

    /**
     * The key producers partition this event type by (card, sensor, user): per-key order in Kafka
     * depends on it.
     */
    String partitionKeyOf(T event);
}
