package dev.tideway.connectors.files;

import dev.tideway.common.codec.EventCodec;

/** How a record becomes one JSON line, and which event-time partition it belongs to. */
public interface JsonLineFormat<T> extends EventTimeOf<T> {

    /** One JSON document, without the line break. */
    byte[] toJson(T record);

    /** The event codec's own JSON and event time: what a topic holds, a file holds. */
    static <T> JsonLineFormat<T> of(EventCodec<T> codec) {
        return new JsonLineFormat<>() {
            @Override
            public byte[] toJson(T record) {
                return codec.encode(record);
            }

            @Override
            public long eventTimeOf(T record) {
                return codec.eventTimeOf(record);
            }
        };
    }
}
