package dev.tideway.rules.engine;

import java.util.ArrayDeque;

/**
 * Memory for encoded events waiting for the watermark: events are appended to the current chunk,
 * and a chunk whose events have all been processed is reused, so the waiting events' bytes live in
 * a few long-lived arrays that the garbage collector does not copy.
 */
final class EventChunks {
    /** Bytes per chunk; a larger event gets a chunk of its own, not reused. */
    static final int CHUNK_BYTES = 256 * 1024;

    /** Chunks kept for reuse at most (8 MB); more are left to the collector. */
    private static final int FREE_CHUNKS = 32;

    /** Events appended one after the other; {@code live} of them are still waiting. */
    static final class Chunk {
        final byte[] bytes;
        int used;
        int live;

        Chunk(int size) {
            this.bytes = new byte[size];
        }
    }

    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private Chunk current = new Chunk(CHUNK_BYTES);
    private int lastOffset;

    /** Copies {@code bytes[0, length)} into a chunk; the event is at {@link #lastOffset}. */
    Chunk append(byte[] bytes, int length) {
        if (current.used + length > current.bytes.length) {
            Chunk full = current;
            current = length > CHUNK_BYTES ? new Chunk(length) : fresh();
            if (full.live == 0) {
                reuse(full);
            }
        }
        lastOffset = current.used;
        System.arraycopy(bytes, 0, current.bytes, current.used, length);
        current.used += length;
        current.live++;
        return current;
    }

    /** Where the event {@link #append} copied last starts in its chunk. */
    int lastOffset() {
        return lastOffset;
    }

    /** An event of {@code chunk} has been processed: the chunk is reused once all have. */
    void release(Chunk chunk) {
        if (--chunk.live == 0 && chunk != current) {
            reuse(chunk);
        }
    }

    private Chunk fresh() {
        Chunk chunk = free.poll();
        return chunk != null ? chunk : new Chunk(CHUNK_BYTES);
    }

    private void reuse(Chunk chunk) {
        chunk.used = 0;
        if (chunk.bytes.length == CHUNK_BYTES && free.size() < FREE_CHUNKS) {
            free.push(chunk);
        }
    }
}
