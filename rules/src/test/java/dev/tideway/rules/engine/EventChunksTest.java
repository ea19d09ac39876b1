package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventChunksTest {
    /** An event appended: where it went and the bytes it must still have there. */
    private record Appended(EventChunks.Chunk chunk, int at, byte[] bytes) {}

    @Test
    void anEventsBytesStayUntilItIsReleasedWhileChunksAreReused() {
        SplittableRandom random = new SplittableRandom(11);
        EventChunks chunks = new EventChunks();
        List<Appended> live = new ArrayList<>();
        List<EventChunks.Chunk> seen = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            // Mostly small events, some larger than a chunk.
            int length =
                    random.nextInt(500) == 0
                            ? EventChunks.CHUNK_BYTES + random.nextInt(1000)
                            : 1 + random.nextInt(300);
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            EventChunks.Chunk chunk = chunks.append(bytes, length);
            live.add(new Appended(chunk, chunks.lastOffset(), bytes));
            if (chunk.bytes.length == EventChunks.CHUNK_BYTES
                    && seen.stream().noneMatch(c -> c == chunk)) {
                seen.add(chunk);
            }
            // Released out of order, as the drain goes by event time; at times all of them.
            while (!live.isEmpty() && random.nextInt(live.size() < 3000 ? 3 : 1) == 0) {
                Appended done = live.remove(random.nextInt(live.size()));
                assertIntact(done);
                chunks.release(done.chunk);
            }
        }
        live.forEach(EventChunksTest::assertIntact);
        assertThat(seen.size())
                .as("chunks are reused: without, 30 MB of small events take 114 or more")
                .isLessThan(200_000 * 150 / EventChunks.CHUNK_BYTES);
    }

    private static void assertIntact(Appended a) {
        assertThat(Arrays.copyOfRange(a.chunk.bytes, a.at, a.at + a.bytes.length))
                .isEqualTo(a.bytes);
    }
}
