package dev.tideway.rules.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The engine's key states of recently active keys, kept in the operator in front of the keyed state
 * backend (write-back). Profiles of the fraud job showed one RocksDB read and one write per event,
 * through JNI, as the engine's largest cost; a key that is active again costs neither here.
 *
 * <p>A checkpoint holds the cached states themselves ({@link #statesForCheckpoint}, written by the
 * operator as raw keyed state, by key group, so that they are redistributed with their keys on
 * rescaling) and the backend's values of the keys not cached. Writing every changed state back into
 * RocksDB at each checkpoint instead, one put per key, took a sixth of the engine thread's time in
 * the fraud job and most of its checkpoints' synchronous time (profiled). On restore the cached
 * states come back into the cache ({@link #restore}) and win over the backend's older values of the
 * same keys. A state is written into the backend only when its key leaves the cache.
 *
 * <p>The engine caches its states encoded, as the backend holds them (a few hundred bytes a key):
 * caching the decoded objects saved the decoding but was no faster in the fraud benchmark, and
 * takes several times the heap.
 *
 * <p>Kept to suit the garbage collector, which profiles showed spending a sixth of the job's CPU on
 * this cache when each write put a new array into it and each read moved its entry to the end of an
 * access-ordered map: every such store into the long-lived map marks a card of the old generation
 * that each young collection must scan. So a state is copied into its entry's own array (grown only
 * when too small) and a read only sets a flag: the map itself is not changed while its keys are
 * merely read and written.
 *
 * <p>Bounded: at most {@code capacity} keys, which leave by the clock algorithm (second chance, a
 * close and cheap kin of least recently used). The entries stand in a ring that a hand goes round
 * when a key must leave: an entry used since the hand last passed it is spared, its flag cleared,
 * and the first one not used leaves, its place taken by the new key; a changed state is written
 * back as it leaves. Sparing an entry by taking it out of the map and putting it back at the end
 * (as this cache first did) allocated a map node for each and was 5 % of the engine thread in the
 * fraud benchmark, whose keys outnumber the default capacity (profiled). Capacity 0 turns the cache
 * off: every read and write goes to the backend.
 */
final class KeyStateCache {
    /** Where states live when not cached: the keyed state backend, for any key. */
    interface Backend {
        /** The stored state of the operator's current key, or null. */
        byte[] read() throws Exception;

        /** Stores (or with null, clears) the state of {@code key}; may keep the array. */
        void write(Object key, byte[] state) throws Exception;
    }

    /** A key's state: {@code bytes[0, length)}, or none when {@code bytes} is null. */
    static final class Entry {
        final Object key;
        byte[] bytes;
        int length;

        /** Whether the state differs from the backend's value for the key. */
        boolean changed;

        /**
         * Whether {@code bytes} is the cache's own array, to write into; not one read from the
         * backend, which a heap backend still holds as the stored value.
         */
        boolean owned;

        /** Used since it was cached or last spared (see the class comment). */
        boolean used;

        /** Its place in the ring. */
        int slot;

        /** Whether the backend holds a value for the key (else clearing it is a no-op). */
        boolean inBackend;

        Entry(Object key, byte[] bytes) {
            this.key = key;
            this.bytes = bytes;
            this.length = bytes == null ? 0 : bytes.length;
            this.inBackend = bytes != null;
        }

        boolean isEmpty() {
            return bytes == null;
        }

        void writeTo(Backend backend) throws Exception {
            if (bytes != null) {
                // A copy: the backend may keep it (a heap backend does), and this array changes.
                backend.write(key, Arrays.copyOf(bytes, length));
            } else if (inBackend) {
                backend.write(key, null);
            }
            inBackend = bytes != null;
            changed = false;
        }
    }

    /** Bytes the processor fetches from memory at a time. */
    private static final int CACHE_LINE = 64;

    private final int capacity;
    private final Backend backend;
    private final HashMap<Object, Entry> entries;

    /** The entries, in {@code ring[0, size)}, in the order the hand visits them. */
    private Entry[] ring;

    private int size;
    private int hand;
    private long hits;
    private long misses;

    KeyStateCache(int capacity, Backend backend) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must be 0 or more: " + capacity);
        }
        this.capacity = capacity;
        this.backend = backend;
        this.entries = new HashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1);
        this.ring = new Entry[Math.max(1, Math.min(capacity, 1024))];
    }

    /**
     * The state of the operator's current key {@code key}, to change with {@link #write} or {@link
     * #clear} before another key is read (which may evict this one).
     */
    Entry read(Object key) throws Exception {
        if (capacity == 0) {
            return new Entry(key, backend.read());
        }
        Entry entry = entries.get(key);
        if (entry != null) {
            hits++;
            entry.used = true;
            return entry;
        }
        misses++;
        entry = new Entry(key, backend.read());
        add(entry);
        return entry;
    }

    /**
     * Replaces the state of an entry just {@link #read} with what {@code out} holds. The entry in
     * hand saves a second lookup per event, which over 100,000 keys is a cache miss or more.
     */
    void write(Entry entry, DataOutputSerializer out) throws Exception {
        if (capacity == 0) {
            backend.write(entry.key, out.getCopyOfBuffer());
            return;
        }
        int length = out.length();
        if (!entry.owned || entry.bytes == null || entry.bytes.length < length) {
            // Room to grow a little, so that a state growing by an id does not need a new array.
            entry.bytes = new byte[length + (length >> 2) + 16];
            entry.owned = true;
        }
        System.arraycopy(out.getSharedBuffer(), 0, entry.bytes, 0, length);
        entry.length = length;
        entry.changed = true;
    }

    /** Clears the state of an entry just {@link #read}. */
    void clear(Entry entry) throws Exception {
        if (capacity == 0) {
            backend.write(entry.key, null);
            return;
        }
        entry.bytes = null;
        entry.length = 0;
        entry.owned = false;
        entry.changed = true;
    }

    /**
     * Reads the cached state of {@code key}, if any, and changes nothing: done for the keys of the
     * next few events before processing them, so that the processor fetches their memory at the
     * same time instead of one after the other (see {@link RuleEngineOperator}'s drain). Returns a
     * value derived from what it read, for the caller to keep, so that the reads are not optimized
     * away.
     */
    int touch(Object key) {
        if (capacity == 0) {
            return 0;
        }
        Entry entry = entries.get(key);
        if (entry == null || entry.bytes == null) {
            return 0;
        }
        byte[] bytes = entry.bytes;
        int sum = 0;
        for (int i = 0; i < entry.length; i += CACHE_LINE) {
            sum += bytes[i];
        }
        return sum;
    }

    /**
     * The cached states, for a checkpoint to hold in place of the backend's values of their keys,
     * which may be older. Keys whose state was cleared in the cache are cleared in the backend
     * first, so that a restore does not find their old state there. Empty when the cache is off.
     */
    List<Entry> statesForCheckpoint() throws Exception {
        List<Entry> states = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            if (entry.bytes != null) {
                states.add(entry);
            } else if (entry.changed) {
                entry.writeTo(backend);
            }
        }
        return states;
    }

    /**
     * Caches a state that a checkpoint held ({@link #statesForCheckpoint}): newer than what the
     * backend may hold for the key, so it is written back when it leaves the cache. With the cache
     * off, it is written into the backend now.
     */
    void restore(Object key, byte[] state) throws Exception {
        if (capacity == 0) {
            backend.write(key, state);
            return;
        }
        Entry entry = new Entry(key, state);
        entry.owned = true;
        entry.changed = true;
        add(entry);
    }

    /** The cached entries, for reading only. */
    Collection<Entry> entries() {
        return Collections.unmodifiableCollection(entries.values());
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

    /** Caches an entry, in the place of one that leaves if the cache is full. */
    private void add(Entry entry) throws Exception {
        Entry previous = entries.put(entry.key, entry);
        if (previous != null) {
            entry.slot = previous.slot;
            ring[entry.slot] = entry;
            return;
        }
        if (size < capacity) {
            if (size == ring.length) {
                ring = Arrays.copyOf(ring, Math.min(capacity, ring.length * 2));
            }
            entry.slot = size;
            ring[size++] = entry;
            return;
        }
        while (ring[hand].used) {
            ring[hand].used = false; // spared once
            hand = (hand + 1) % size;
        }
        Entry leaving = ring[hand];
        entries.remove(leaving.key);
        if (leaving.changed) {
            leaving.writeTo(backend);
        }
        entry.slot = hand;
        ring[hand] = entry;
        hand = (hand + 1) % size;
    }
}
