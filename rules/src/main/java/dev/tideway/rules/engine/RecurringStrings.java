package dev.tideway.rules.engine;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;

/**
 * Reads strings that recur in every key state (rule ids) without decoding them each time: the bytes
 * {@code writeUTF} wrote are compared in place with those of the strings read before. A profile of
 * the fraud job showed decoding the rule ids of each state at a tenth of the engine's time. The
 * same string always has the same encoded bytes, so a match is exact.
 */
final class RecurringStrings {
    /** Enough for the rule ids of any realistic rule set; past it, strings are decoded. */
    static final int CAPACITY = 64;

    private byte[][] encoded = new byte[0][];
    private String[] strings = new String[0];

    /**
     * Reads what {@code DataOutput.writeUTF} wrote at the position of {@code in}, whose buffer is
     * {@code bytes}.
     */
    String read(DataInputDeserializer in, byte[] bytes) throws IOException {
        int start = in.getPosition();
        int end = start + in.available();
        int length = in.readUnsignedShort();
        int from = start + 2;
        if (from + length <= end) {
            for (int i = 0; i < encoded.length; i++) {
                if (Arrays.equals(encoded[i], 0, encoded[i].length, bytes, from, from + length)) {
                    in.skipBytesToRead(length);
                    return strings[i];
                }
            }
        }
        // Not seen before (or cut short, which readUTF reports): decode it from the start.
        in.setBuffer(bytes, start, end - start);
        String value = in.readUTF();
        if (encoded.length < CAPACITY) {
            encoded = Arrays.copyOf(encoded, encoded.length + 1);
            strings = Arrays.copyOf(strings, strings.length + 1);
            encoded[encoded.length - 1] = Arrays.copyOfRange(bytes, from, from + length);
            strings[strings.length - 1] = value;
        }
        return value;
    }
}
