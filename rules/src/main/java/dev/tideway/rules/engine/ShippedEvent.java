package dev.tideway.rules.engine;

import dev.tideway.rules.expression.EventSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An event on its way to the rules engine, already encoded ({@link EventEncoding}) by the source's
 * task, with its key. The engine queues the bytes as they come: it neither deserializes the job's
 * event type (reflection per field, in Flink's POJO serializer) nor encodes it again, which was a
 * fifth of its thread in profiles of the fraud job (BENCHMARKS.md, 2026-12-07, eighth session).
 * Only crosses the exchange in front of the engine; never stored in state.
 */
public final class ShippedEvent {
    public static final TypeInformation<ShippedEvent> TYPE = new Type();

    private final String key;
    private final byte[] fields;

    ShippedEvent(String key, byte[] fields) {
        this.key = key;
        this.fields = fields;
    }

    /** The key the engine groups by: what the job's key selector gave for the event. */
    public String key() {
        return key;
    }

    byte[] fields() {
        return fields;
    }

    /** The event these fields were encoded from, built back by the schema's {@code Rebuild}. */
    public <E> E rebuild(EventSchema<E> schema) {
        return schema.rebuild(EncodedEvent.forSchema(schema).of(fields, 0));
    }

    private static final class Type extends TypeInformation<ShippedEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<ShippedEvent> getTypeClass() {
            return ShippedEvent.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<ShippedEvent> createSerializer(SerializerConfig config) {
            return Serializer.INSTANCE;
        }

        @Override
        public String toString() {
            return "ShippedEvent";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Type;
        }

        @Override
        public int hashCode() {
            return Type.class.hashCode();
        }

        @Override
        public boolean canEqual(Object other) {
            return other instanceof Type;
        }
    }

    /** The key as a length and UTF-8, then the encoded fields as a length and bytes. */
    static final class Serializer extends TypeSerializerSingleton<ShippedEvent> {
        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true; // never changed after it is built, so chained operators may share it
        }

        @Override
        public ShippedEvent createInstance() {
            return new ShippedEvent("", new byte[0]);
        }

        @Override
        public ShippedEvent copy(ShippedEvent from) {
            return from;
        }

        @Override
        public ShippedEvent copy(ShippedEvent from, ShippedEvent reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(ShippedEvent event, DataOutputView out) throws IOException {
            byte[] key = event.key.getBytes(StandardCharsets.UTF_8);
            out.writeInt(key.length);
            out.write(key);
            out.writeInt(event.fields.length);
            out.write(event.fields);
        }

        @Override
        public ShippedEvent deserialize(DataInputView in) throws IOException {
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            byte[] fields = new byte[in.readInt()];
            in.readFully(fields);
            return new ShippedEvent(new String(key, StandardCharsets.UTF_8), fields);
        }

        @Override
        public ShippedEvent deserialize(ShippedEvent reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            for (int part = 0; part < 2; part++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }

        @Override
        public TypeSerializerSnapshot<ShippedEvent> snapshotConfiguration() {
            return new Snapshot();
        }

        /** For Flink's bookkeeping of serializers; a shipped event is never in state. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShippedEvent> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
