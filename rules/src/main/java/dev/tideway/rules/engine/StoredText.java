package dev.tideway.rules.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A text value of a stored key state, left as the bytes it is stored in ({@code writeUTF}'s
 * two-byte length and modified UTF-8) until something reads it. Most texts a partial match keeps
 * are event ids, read only when a match is reported; decoding each for every event of its key and
 * encoding it again was nearly all of the key state's decoding time and a fifth of its encoding
 * (profiled in the fraud job).
 *
 * <p>Points into the state's bytes, which stay unchanged until the state is written (as {@link
 * SeenIds} does).
 */
final class StoredText {
    private final byte[] bytes;
    private final int from;

    /** Bytes from {@code from}, the two-byte length included. */
    private final int length;

    private StoredText(byte[] bytes, int from, int length) {
        this.bytes = bytes;
        this.from = from;
        this.length = length;
    }

    /**
     * Reads past a text {@code writeUTF} wrote, pointing into {@code stored} ({@code in}'s array).
     */
    static StoredText read(DataInputDeserializer in, byte[] stored) throws IOException {
        int from = in.getPosition();
        int utfLength = in.readUnsignedShort();
        in.skipBytesToRead(utfLength);
        return new StoredText(stored, from, Short.BYTES + utfLength);
    }

    /** Writes the text as {@code writeUTF} would, without decoding it. */
    void writeTo(DataOutputSerializer out) throws IOException {
        out.write(bytes, from, length);
    }

    String decode() {
        try {
            return new DataInputDeserializer(bytes, from, length).readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException("a stored key state's text cannot be read", e);
        }
    }
}
