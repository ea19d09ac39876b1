package dev.tideway.rules.engine;

import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.expression.FieldType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Encodes the fields of an event that rules can read ({@link EventSchema}) into compact bytes, the
 * form in which events wait for the watermark ({@link EncodedEvent} reads them). Per field, in
 * schema order, a tag byte and then: a number as 8 bytes, a boolean as 1, a text as a 4-byte length
 * and its UTF-8 bytes.
 *
 * <p>Why events wait encoded: tens of thousands of events wait at a time, each a dozen objects as
 * the job's event type (strings, a decimal), alive across young collections. Profiles and class
 * histograms of the fraud job showed the collector copying and promoting them, with a full
 * collection every few seconds; bytes in reused chunks ({@link EventChunks}) give it nothing to
 * copy.
 */
final class EventEncoding<E> {
    static final byte VALUE = 0;
    static final byte NULL = 1;

    /** The field's getter threw when the event arrived: reading the field throws then. */
    static final byte FAILED = 2;

    private final EventSchema<E> schema;
    private final FieldType[] types;

    EventEncoding(EventSchema<E> schema) {
        this.schema = schema;
        this.types = new FieldType[schema.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.type(i);
        }
    }

    /**
     * The fields and types encoded, in order: a checkpoint stores it with the waiting events, so
     * that a job whose schema changed does not misread them.
     */
    String fingerprint() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            s.append(i == 0 ? "" : ",").append(schema.name(i)).append(':').append(types[i]);
        }
        return s.toString();
    }

    /** Writes the event's fields into {@code out}, cleared first. */
    void encode(E event, DataOutputSerializer out) throws IOException {
        out.clear();
        for (int field = 0; field < types.length; field++) {
            // A getter that fails fails the rule that reads the field, as it did when rules read
            // the event object, not every event's arrival.
            try {
                switch (types[field]) {
                    case NUMBER:
                        double number = schema.number(field, event);
                        out.writeByte(VALUE);
                        out.writeDouble(number);
                        break;
                    case BOOLEAN:
                        boolean bool = schema.bool(field, event);
                        out.writeByte(VALUE);
                        out.writeBoolean(bool);
                        break;
                    default:
                        String text = schema.text(field, event);
                        if (text == null) {
                            out.writeByte(NULL);
                        } else {
                            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                            out.writeByte(VALUE);
                            out.writeInt(utf8.length);
                            out.write(utf8);
                        }
                }
            } catch (RuntimeException e) {
                out.writeByte(FAILED);
                String failure = String.valueOf(e);
                out.writeUTF(failure.substring(0, Math.min(1000, failure.length())));
            }
        }
    }
}
