package dev.tideway.rules.engine;

import dev.tideway.rules.expression.EventSchema;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Encodes each event for the rules engine in the task that produced it (chained to the source), so
 * that the exchange carries the engine's own form ({@link ShippedEvent}).
 */
public final class ShipEvents<E> extends RichMapFunction<E, ShippedEvent> {
    private static final long serialVersionUID = 1L;

    private final EventSchema<E> schema;
    private final KeySelector<E, String> key;
    private transient EventEncoding<E> encoding;
    private transient DataOutputSerializer out;

    public ShipEvents(EventSchema<E> schema, KeySelector<E, String> key) {
        this.schema = schema;
        this.key = key;
    }

    @Override
    public ShippedEvent map(E event) throws Exception {
        if (encoding == null) {
            encoding = new EventEncoding<>(schema);
            out = new DataOutputSerializer(256);
        }
        encoding.encode(event, out);
        return new ShippedEvent(key.getKey(event), out.getCopyOfBuffer());
    }
}
