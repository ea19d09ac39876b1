package dev.tideway.rules.engine;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One key-state lookup of the rules engine, as in the fraud job: 100,000 cards, each with a state
 * of a few hundred bytes, looked up in random order by a key freshly decoded for each event (so its
 * hash is computed each time, as in the job): the engine's cache ({@link KeyStateCache}), against
 * the same entries reached by index, which is what the state's own memory costs without any lookup.
 * Both read each cache line of the state, as decoding it does. In the engine's package, because the
 * cache is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyStateCacheBenchmark {
    private static final int KEYS = 100_000;
    private static final int STATE_BYTES = 320;

    private final byte[][] keyBytes = new byte[KEYS][];
    private final int[] order = new int[1 << 20];
    private int next;

    private KeyStateCache cache;

    /** The same entries by index: the state's own memory, with no lookup. */
    private final KeyStateCache.Entry[] direct = new KeyStateCache.Entry[KEYS];

    @Setup
    public void setUp() throws Exception {
        KeyStateCache.Backend none =
                new KeyStateCache.Backend() {
                    @Override
                    public byte[] read() {
                        return null;
                    }

                    @Override
                    public void write(Object key, byte[] state) {}
                };
        cache = new KeyStateCache(KEYS, none);
        Random random = new Random(7);
        DataOutputSerializer out = new DataOutputSerializer(STATE_BYTES);
        for (int i = 0; i < KEYS; i++) {
            keyBytes[i] = ("card-" + i).getBytes(StandardCharsets.ISO_8859_1);
            out.clear();
            for (int b = 0; b < STATE_BYTES; b++) {
                out.writeByte(random.nextInt(128));
            }
            String key = keyOf(i);
            cache.write(cache.read(key), out);
            direct[i] = cache.read(key);
        }
        for (int i = 0; i < order.length; i++) {
            order[i] = random.nextInt(KEYS);
        }
    }

    /** The card of the next event. */
    private int nextCard() {
        next = (next + 1) & (order.length - 1);
        return order[next];
    }

    /** The key of a card's event, decoded afresh. */
    private String keyOf(int card) {
        return new String(keyBytes[card], StandardCharsets.ISO_8859_1);
    }

    @Benchmark
    public int keyStateCache() throws Exception {
        KeyStateCache.Entry entry = cache.read(keyOf(nextCard()));
        return sumOfLines(entry.bytes, entry.length);
    }

    @Benchmark
    public int directIndex() {
        int card = nextCard();
        String key = keyOf(card);
        KeyStateCache.Entry entry = direct[card];
        return sumOfLines(entry.bytes, entry.length) + key.length();
    }

    private static int sumOfLines(byte[] bytes, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 64) {
            sum += bytes[i];
        }
        return sum;
    }
}
