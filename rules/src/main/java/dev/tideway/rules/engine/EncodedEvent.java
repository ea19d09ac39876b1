package dev.tideway.rules.engine;

import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.expression.EventView;
import dev.tideway.rules.expression.FieldType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;

/**
 * A view of one event encoded by {@link EventEncoding}, reused from event to event: fields are read
 * from the bytes where the event waited, texts decoded once when first read.
 */
final class EncodedEvent implements EventView {
    private static final VarHandle DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final FieldType[] types;
    private final String[] names;

    /** Where each field's tag is in {@link #bytes}. */
    private final int[] at;

    private final String[] texts;
    private byte[] bytes;
    private int end;

    /** A view of events encoded with {@code schema}'s fields. */
    static EncodedEvent forSchema(EventSchema<?> schema) {
        FieldType[] types = new FieldType[schema.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.type(i);
        }
        return new EncodedEvent(types, schema.names().toArray(new String[0]));
    }

    EncodedEvent(FieldType[] types, String[] names) {
        this.types = types;
        this.names = names;
        this.at = new int[types.length];
        this.texts = new String[types.length];
    }

    /** Views the event encoded at {@code bytes[offset...]}. */
    EncodedEvent of(byte[] bytes, int offset) {
        this.bytes = bytes;
        int p = offset;
        for (int field = 0; field < types.length; field++) {
            at[field] = p;
            texts[field] = null;
            byte tag = bytes[p++];
            if (tag == EventEncoding.VALUE) {
                switch (types[field]) {
                    case NUMBER:
                        p += Double.BYTES;
                        break;
                    case BOOLEAN:
                        p += 1;
                        break;
                    default:
                        p += Integer.BYTES + (int) INT.get(bytes, p);
                }
            } else if (tag == EventEncoding.FAILED) {
                p += Short.BYTES + (((bytes[p] & 0xFF) << 8) | (bytes[p + 1] & 0xFF));
            }
        }
        end = p;
        return this;
    }

    /** How many bytes the event viewed takes. */
    int length() {
        return end - at[0];
    }

    @Override
    public double number(int field) {
        return (double) DOUBLE.get(bytes, valueAt(field));
    }

    @Override
    public boolean bool(int field) {
        return bytes[valueAt(field)] != 0;
    }

    @Override
    public String text(int field) {
        String text = texts[field];
        if (text == null && bytes[at[field]] != EventEncoding.NULL) {
            int p = valueAt(field);
            text =
                    new String(
                            bytes,
                            p + Integer.BYTES,
                            (int) INT.get(bytes, p),
                            StandardCharsets.UTF_8);
            texts[field] = text;
        }
        return text;
    }

    /** A text field's UTF-8 bytes (a copy), or null. */
    byte[] utf8(int field) {
        if (bytes[at[field]] == EventEncoding.NULL) {
            return null;
        }
        int p = valueAt(field);
        int from = p + Integer.BYTES;
        return Arrays.copyOfRange(bytes, from, from + (int) INT.get(bytes, p));
    }

    /** A field's value boxed (Double, String or Boolean), to keep it in a partial match. */
    Object value(int field) {
        switch (types[field]) {
            case NUMBER:
                return number(field);
            case BOOLEAN:
                return bool(field);
            default:
                return text(field);
        }
    }

    /** Where the field's value starts, after its tag; throws for a field that failed to read. */
    private int valueAt(int field) {
        int p = at[field];
        if (bytes[p] == EventEncoding.FAILED) {
            throw new IllegalStateException(
                    "field " + names[field] + " of this event could not be read: " + failure(p));
        }
        return p + 1;
    }

    private String failure(int p) {
        try {
            return new DataInputDeserializer(bytes, p + 1, bytes.length - p - 1).readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
