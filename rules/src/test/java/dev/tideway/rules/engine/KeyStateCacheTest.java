package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The engine's write-back cache of key states, over a map standing for the keyed backend. */
class KeyStateCacheTest {
    /** The backend: a map, the current key, and a log of every access. */
    private final Map<String, byte[]> stored = new HashMap<>();

    private final List<String> log = new ArrayList<>();
    private String current;

    private final KeyStateCache.Backend backend =
            new KeyStateCache.Backend() {
                @Override
                public byte[] read() {
                    log.add("read " + current);
                    return stored.get(current);
                }

                @Override
                public void write(Object key, byte[] state) {
                    log.add((state == null ? "clear " : "write ") + key);
                    if (state == null) {
                        stored.remove(key);
                    } else {
                        stored.put((String) key, state);
                    }
                }
            };

    /** The entry of the last read, as the operator holds it until it writes. */
    private KeyStateCache.Entry lastRead;

    private byte[] read(KeyStateCache cache, String key) throws Exception {
        current = key;
        lastRead = cache.read(key);
        return lastRead.isEmpty() ? null : Arrays.copyOf(lastRead.bytes, lastRead.length);
    }

    /** Writes the key read last, as the operator does. */
    private void write(KeyStateCache cache, String key, int... values) throws Exception {
        assertThat(lastRead.key).as("the key read last").isEqualTo(key);
        DataOutputSerializer out = new DataOutputSerializer(8);
        for (int v : values) {
            out.writeByte(v);
        }
        cache.write(lastRead, out);
    }

    private void clear(KeyStateCache cache, String key) throws Exception {
        assertThat(lastRead.key).as("the key read last").isEqualTo(key);
        cache.clear(lastRead);
    }

    private static byte[] bytes(int b) {
        return new byte[] {(byte) b};
    }

    @Test
    void aCachedKeyIsReadOnceAndNotWrittenWhileCached() throws Exception {
        stored.put("k", bytes(1));
        KeyStateCache cache = new KeyStateCache(10, backend);
        assertThat(read(cache, "k")).containsExactly(1);
        write(cache, "k", 2);
        assertThat(read(cache, "k")).containsExactly(2);
        write(cache, "k", 3);
        assertThat(checkpointed(cache)).containsExactly("k=3");
        assertThat(log).containsExactly("read k");
        assertThat(stored.get("k")).as("the checkpoint holds the newer state").containsExactly(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    /** What {@link KeyStateCache#statesForCheckpoint} returns, as key=bytes. */
    private static List<String> checkpointed(KeyStateCache cache) throws Exception {
        List<String> states = new ArrayList<>();
        for (KeyStateCache.Entry e : cache.statesForCheckpoint()) {
            StringBuilder state = new StringBuilder(e.key + "=");
            for (int i = 0; i < e.length; i++) {
                state.append(e.bytes[i]);
            }
            states.add(state.toString());
        }
        return states;
    }

    @Test
    void restoredStatesAreCachedAndWrittenBackWhenTheyLeave() throws Exception {
        stored.put("a", bytes(9)); // older than what the checkpoint held
        KeyStateCache cache = new KeyStateCache(1, backend);
        cache.restore("a", bytes(1));
        assertThat(log).isEmpty();
        cache.restore("b", bytes(2)); // a leaves
        assertThat(stored.get("a")).containsExactly(1);
        assertThat(read(cache, "b")).containsExactly(2);
        assertThat(log).containsExactly("write a");

        KeyStateCache off = new KeyStateCache(0, backend);
        off.restore("c", bytes(3));
        assertThat(stored.get("c")).containsExactly(3);
    }

    @Test
    void theOldestKeyLeavesFirstUnlessUsedSinceAndIsWrittenBackIfChanged() throws Exception {
        KeyStateCache cache = new KeyStateCache(2, backend);
        read(cache, "a");
        write(cache, "a", 1);
        read(cache, "b");
        read(cache, "a"); // a is used again: spared once
        read(cache, "c"); // b leaves, unchanged: nothing to write; c takes its place
        assertThat(stored).isEmpty();
        read(cache, "a"); // still cached: no read; used again
        read(cache, "d"); // a is spared again, and c, unused since it came, leaves
        assertThat(stored).isEmpty();
        read(cache, "c"); // not cached any more; a, spared before and unused since, leaves
        assertThat(stored.get("a")).as("written back as it left").containsExactly(1);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(read(cache, "a")).as("read back from the backend").containsExactly(1);
        assertThat(log)
                .containsExactly(
                        "read a", "read b", "read c", "read d", "read c", "write a", "read a");
    }

    @Test
    void aStateIsCopiedInSoTheBackendNeverSeesItsArrayChange() throws Exception {
        KeyStateCache cache = new KeyStateCache(1, backend);
        read(cache, "k");
        write(cache, "k", 1, 2, 3);
        read(cache, "other"); // k leaves, written back
        byte[] flushed = stored.get("k");
        read(cache, "k");
        write(cache, "k", 4);
        assertThat(read(cache, "k")).containsExactly(4);
        assertThat(flushed).as("what the backend was given").containsExactly(1, 2, 3);
        write(cache, "k", 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22);
        assertThat(read(cache, "k"))
                .containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22);
        read(cache, "other");
        assertThat(stored.get("k")).hasSize(18);
    }

    @Test
    void clearingReachesTheBackendOnlyWhereItHeldAValue() throws Exception {
        stored.put("old", bytes(1));
        KeyStateCache cache = new KeyStateCache(10, backend);
        read(cache, "old");
        clear(cache, "old");
        read(cache, "new");
        write(cache, "new", 2);
        clear(cache, "new"); // created and cleared between checkpoints
        assertThat(read(cache, "old")).isNull();
        assertThat(checkpointed(cache)).as("nothing to hold").isEmpty();
        assertThat(stored).as("old's state cleared for the checkpoint").isEmpty();
        assertThat(log).containsExactly("read old", "read new", "clear old");
    }

    @Test
    void capacityZeroReadsAndWritesTheBackendDirectly() throws Exception {
        KeyStateCache cache = new KeyStateCache(0, backend);
        read(cache, "k");
        write(cache, "k", 1);
        assertThat(stored.get("k")).containsExactly(1);
        read(cache, "k");
        assertThat(log).containsExactly("read k", "write k", "read k");
        assertThat(cache.size()).isZero();
    }

    /**
     * The cache is invisible: over random reads, writes, clears and checkpoints of many keys, each
     * read finds the state last written for its key, and the checkpoint's states with the backend's
     * are every key's latest. Keys that share a hash ("Aa" and "BB" do), keys too long to pack,
     * keys outside Latin-1 and keys that are not strings, so that the table's probing, its removals
     * and its growth are all exercised.
     */
    @Test
    void everyReadFindsTheLatestStateOfItsKey() throws Exception {
        Random random = new Random(20261207);
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            StringBuilder colliding = new StringBuilder();
            for (int bit = 0; bit < 8; bit++) {
                colliding.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            keys.add(colliding.toString()); // 16 characters, one hash for all 256
        }
        for (int i = 0; i < 300; i++) {
            keys.add("card-" + i);
            keys.add("a key longer than sixteen characters " + i);
            keys.add("ключ-" + i);
            keys.add((long) i);
        }
        for (int capacity : new int[] {1, 7, 100, 2_000}) {
            objectStored.clear();
            Map<Object, Integer> latest = new HashMap<>();
            KeyStateCache cache = new KeyStateCache(capacity, objectBackend);
            for (int step = 0; step < 20_000; step++) {
                Object key = keys.get(random.nextInt(keys.size()));
                currentKey = key;
                KeyStateCache.Entry entry = cache.read(key);
                Integer expected = latest.get(key);
                assertThat(entry.isEmpty() ? null : (int) entry.bytes[0])
                        .as("state of %s at step %d, capacity %d", key, step, capacity)
                        .isEqualTo(expected);
                int action = random.nextInt(10);
                if (action < 6) {
                    int value = random.nextInt(100);
                    DataOutputSerializer out = new DataOutputSerializer(4);
                    out.writeByte(value);
                    cache.write(entry, out);
                    latest.put(key, value);
                } else if (action < 7) {
                    cache.clear(entry);
                    latest.remove(key);
                } else if (action < 8 && step % 100 == 0) {
                    // First: it clears in the backend the states cleared in the cache.
                    List<KeyStateCache.Entry> cached = cache.statesForCheckpoint();
                    Map<Object, Integer> held = new HashMap<>(objectStored);
                    for (KeyStateCache.Entry e : cached) {
                        held.put(e.key, (int) e.bytes[0]);
                    }
                    assertThat(held).as("checkpoint at step %d", step).isEqualTo(latest);
                }
                assertThat(cache.size()).isLessThanOrEqualTo(capacity);
            }
            assertThat(cache.hits() + cache.misses()).isEqualTo(20_000);
        }
    }

    /** A backend for keys of any type, holding each state's first byte. */
    private final Map<Object, Integer> objectStored = new HashMap<>();

    private Object currentKey;

    private final KeyStateCache.Backend objectBackend =
            new KeyStateCache.Backend() {
                @Override
                public byte[] read() {
                    Integer value = objectStored.get(currentKey);
                    return value == null ? null : bytes(value);
                }

                @Override
                public void write(Object key, byte[] state) {
                    if (state == null) {
                        objectStored.remove(key);
                    } else {
                        objectStored.put(key, (int) state[0]);
                    }
                }
            };

    @Test
    void aNegativeCapacityIsRefused() {
        assertThatThrownBy(() -> new KeyStateCache(-1, backend)).hasMessageContaining("0 or more");
    }
}
