package dev.tideway.rules.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's key states of recently active keys, kept in the operator between checkpoints in
 * front of the keyed state backend (write-back). Profiles of the fraud job showed one RocksDB read
 * and one write per event, through JNI, as the engine's largest cost; a key that is active again
 * before the next checkpoint costs neither here.
 *
 * <p>The backend stays the truth at every checkpoint: {@link #flush} writes every changed state
 * before the operator's snapshot, so checkpoints, savepoints, restore and rescaling see exactly
 * what an uncached operator would have written. Between checkpoints the backend may hold an older
 * value of a cached key; nothing reads it there but this cache. A failure loses only what the
 * restored checkpoint replays anyway.
 *
 * <p>The engine caches its states encoded, as the backend holds them (a few hundred bytes a key):
 * caching the decoded objects saved the decoding but was no faster in the fraud benchmark, and
 * takes several times the heap.
 *
 * <p>Bounded: at most {@code capacity} keys (least recently used leaves first, written back when
 * changed). Capacity 0 turns the cache off: every read and write goes to the backend.
 */
final class KeyStateCache<S> {
    /** Where states live when not cached: the keyed state backend, for any key. */
    interface Backend<S> {
        /** The stored state of the operator's current key, or null. */
        S read() throws Exception;

        /** Stores (or with null, clears) the state of {@code key}. */
        void write(Object key, S state) throws Exception;
    }

    private static final class Entry<S> {
        S state;
        boolean changed;

        /** Whether the backend holds a value for the key (else clearing it is a no-op). */
        boolean inBackend;

        Entry(S state) {
            this.state = state;
            this.inBackend = state != null;
        }

        void writeTo(Backend<S> backend, Object key) throws Exception {
            if (state != null || inBackend) {
                backend.write(key, state);
            }
            inBackend = state != null;
            changed = false;
        }
    }

    private final int capacity;
    private final Backend<S> backend;
    private final LinkedHashMap<Object, Entry<S>> entries;
    private long hits;
    private long misses;

    KeyStateCache(int capacity, Backend<S> backend) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must be 0 or more: " + capacity);
        }
        this.capacity = capacity;
        this.backend = backend;
        // Access order: iteration starts at the least recently used key.
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true);
    }

    /** The state of the operator's current key {@code key} (null: none). */
    S read(Object key) throws Exception {
        if (capacity == 0) {
            return backend.read();
        }
        Entry<S> entry = entries.get(key);
        if (entry != null) {
            hits++;
            return entry.state;
        }
        misses++;
        S state = backend.read();
        entries.put(key, new Entry<>(state));
        evictOverCapacity(key);
        return state;
    }

    /** Replaces the state of the operator's current key {@code key} (null: clear it). */
    void write(Object key, S state) throws Exception {
        if (capacity == 0) {
            backend.write(key, state);
            return;
        }
        Entry<S> entry = entries.get(key);
        if (entry == null) {
            // Not read first (the operator always reads first): assume the backend has a value.
            entry = new Entry<>(null);
            entry.inBackend = true;
            entries.put(key, entry);
            evictOverCapacity(key);
        }
        entry.state = state;
        entry.changed = true;
    }

    /** Writes every changed state to the backend; the cache keeps them, unchanged from now. */
    void flush() throws Exception {
        for (Map.Entry<Object, Entry<S>> e : entries.entrySet()) {
            Entry<S> entry = e.getValue();
            if (entry.changed) {
                entry.writeTo(backend, e.getKey());
            }
        }
    }

    int size() {
        return entries.size();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    private void evictOverCapacity(Object keep) throws Exception {
        Iterator<Map.Entry<Object, Entry<S>>> eldest = entries.entrySet().iterator();
        while (entries.size() > capacity && eldest.hasNext()) {
            Map.Entry<Object, Entry<S>> e = eldest.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            eldest.remove();
            if (e.getValue().changed) {
                e.getValue().writeTo(backend, e.getKey());
            }
        }
    }
}
