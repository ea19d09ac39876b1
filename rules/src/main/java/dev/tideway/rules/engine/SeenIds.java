package dev.tideway.rules.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The ids of a key's recent events, with their event times, oldest first, kept as the bytes they
 * are stored in: {@code [long eventTime][int length][UTF-8 id]} per id.
 *
 * <p>Why bytes and not a list of strings: a busy key holds every id of the de-duplication window
 * (60 ids for a card with a transaction every 10 s and a 10 min window). Decoding them into strings
 * and encoding them again for each event was the largest cost of the engine's state, in CPU and in
 * garbage (profiled). Here reading the state only points at its bytes, checking an id compares
 * bytes, forgetting the oldest ids moves a start offset, and writing copies one slice.
 *
 * <p>The bytes read from the state are shared, never changed: any change makes a new array.
 */
final class SeenIds {
    private static final byte[] NONE = new byte[0];
    private static final int HEADER = Long.BYTES + Integer.BYTES;

    private byte[] bytes = NONE;
    private int start;
    private int end;
    private int count;
    private long newest = Long.MIN_VALUE;

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    /** Event time of the newest id; only meaningful when not empty. */
    long newestEventTime() {
        return newest;
    }

    static byte[] utf8(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    boolean contains(byte[] id) {
        return indexOf(id) >= 0;
    }

    /** Where the entry of {@code id} starts in {@code bytes}, or -1. */
    private int indexOf(byte[] id) {
        int n = id.length;
        for (int at = start; at < end; ) {
            int length = length(at);
            int from = at + HEADER;
            // The last byte first: ids of one key mostly differ there (sequence numbers, random
            // ids), which saves most calls into the array comparison (profiled in the drain).
            if (length == n
                    && (n == 0 || bytes[from + n - 1] == id[n - 1])
                    && Arrays.equals(bytes, from, from + n, id, 0, n)) {
                return at;
            }
            at = from + length;
        }
        return -1;
    }

    /** The event time of the last id (the newest), or Long.MIN_VALUE for none. */
    private long timeOfLast() {
        int last = -1;
        for (int at = start; at < end; at += HEADER + length(at)) {
            last = at;
        }
        return last < 0 ? Long.MIN_VALUE : time(last);
    }

    /** Remembers an id, keeping the ids ordered by event time. */
    void add(byte[] id, long eventTime) {
        int at = end;
        if (eventTime < newest) {
            // Rare (an id remembered out of order): find the first id with a later event time.
            at = start;
            while (at < end && time(at) <= eventTime) {
                at += HEADER + length(at);
            }
        }
        int added = HEADER + id.length;
        byte[] grown = new byte[end - start + added];
        System.arraycopy(bytes, start, grown, 0, at - start);
        int into = at - start;
        putLong(grown, into, eventTime);
        putInt(grown, into + Long.BYTES, id.length);
        System.arraycopy(id, 0, grown, into + HEADER, id.length);
        System.arraycopy(bytes, at, grown, into + added, end - at);
        bytes = grown;
        start = 0;
        end = grown.length;
        count++;
        newest = Math.max(newest, eventTime);
    }

    /** Forgets one occurrence of an id; returns whether it was there. */
    boolean remove(byte[] id) {
        int at = indexOf(id);
        if (at < 0) {
            return false;
        }
        int next = at + HEADER + length(at);
        byte[] shrunk = new byte[end - start - (next - at)];
        System.arraycopy(bytes, start, shrunk, 0, at - start);
        System.arraycopy(bytes, next, shrunk, at - start, end - next);
        bytes = count == 1 ? NONE : shrunk;
        start = 0;
        end = bytes.length;
        count--;
        newest = timeOfLast();
        return true;
    }

    /** Forgets ids whose event time is at or before {@code upTo}; returns whether any went. */
    boolean forget(long upTo) {
        int before = count;
        while (count > 0 && time(start) <= upTo) {
            start += HEADER + length(start);
            count--;
        }
        if (count == 0) {
            bytes = NONE;
            start = 0;
            end = 0;
            newest = Long.MIN_VALUE;
        }
        return count != before;
    }

    void write(DataOutputSerializer out) throws IOException {
        out.writeInt(count);
        out.writeInt(end - start);
        out.write(bytes, start, end - start);
    }

    /**
     * Reads what {@link #write} wrote, pointing into {@code stored} (the array {@code in} reads).
     */
    static SeenIds read(DataInputDeserializer in, byte[] stored) throws IOException {
        SeenIds ids = new SeenIds();
        ids.count = in.readInt();
        int length = in.readInt();
        if (ids.count > 0) {
            ids.bytes = stored;
            ids.start = in.getPosition();
            ids.end = ids.start + length;
            ids.newest = ids.timeOfLast();
        }
        in.skipBytesToRead(length);
        return ids;
    }

    private long time(int at) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        return v;
    }

    private int length(int at) {
        int v = 0;
        for (int i = Long.BYTES; i < HEADER; i++) {
            v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        return v;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = Integer.BYTES - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
