package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's write-back cache of key states, over a map standing for the keyed backend. */
class KeyStateCacheTest {
    /** The backend: a map, the current key, and a log of every access. */
    private final Map<String, byte[]> stored = new HashMap<>();

    private final List<String> log = new ArrayList<>();
    private String current;

    private final KeyStateCache.Backend<byte[]> backend =
            new KeyStateCache.Backend<>() {
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

    private byte[] read(KeyStateCache<byte[]> cache, String key) throws Exception {
        current = key;
        return cache.read(key);
    }

    private static byte[] bytes(int b) {
        return new byte[] {(byte) b};
    }

    @Test
    void aCachedKeyIsReadOnceAndWrittenOnlyAtFlush() throws Exception {
        stored.put("k", bytes(1));
        KeyStateCache<byte[]> cache = new KeyStateCache<>(10, backend);
        assertThat(read(cache, "k")).containsExactly(1);
        cache.write("k", bytes(2));
        assertThat(read(cache, "k")).containsExactly(2);
        cache.write("k", bytes(3));
        assertThat(log).containsExactly("read k");
        assertThat(stored.get("k")).containsExactly(1);

        cache.flush();
        assertThat(stored.get("k")).containsExactly(3);
        cache.flush(); // nothing changed since
        assertThat(log).containsExactly("read k", "write k");
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedKeyLeavesFirstAndIsWrittenBackIfChanged() throws Exception {
        KeyStateCache<byte[]> cache = new KeyStateCache<>(2, backend);
        read(cache, "a");
        cache.write("a", bytes(1));
        read(cache, "b");
        read(cache, "a"); // a is now more recent than b
        read(cache, "c"); // b leaves, unchanged: nothing to write
        assertThat(stored).isEmpty();
        read(cache, "d"); // a leaves, changed: written back
        assertThat(stored.get("a")).containsExactly(1);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(log).containsExactly("read a", "read b", "read c", "read d", "write a");
    }

    @Test
    void clearingReachesTheBackendOnlyWhereItHeldAValue() throws Exception {
        stored.put("old", bytes(1));
        KeyStateCache<byte[]> cache = new KeyStateCache<>(10, backend);
        read(cache, "old");
        cache.write("old", null);
        read(cache, "new");
        cache.write("new", bytes(2));
        cache.write("new", null); // created and cleared between checkpoints
        assertThat(read(cache, "old")).isNull();
        cache.flush();
        assertThat(stored).isEmpty();
        assertThat(log).containsExactly("read old", "read new", "clear old");
    }

    @Test
    void capacityZeroReadsAndWritesTheBackendDirectly() throws Exception {
        KeyStateCache<byte[]> cache = new KeyStateCache<>(0, backend);
        read(cache, "k");
        cache.write("k", bytes(1));
        assertThat(stored.get("k")).containsExactly(1);
        read(cache, "k");
        assertThat(log).containsExactly("read k", "write k", "read k");
        assertThat(cache.size()).isZero();
    }

    @Test
    void aNegativeCapacityIsRefused() {
        assertThatThrownBy(() -> new KeyStateCache<>(-1, backend))
                .hasMessageContaining("0 or more");
    }
}
