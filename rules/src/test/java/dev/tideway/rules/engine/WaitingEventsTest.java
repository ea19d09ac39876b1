package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WaitingEventsTest {
    /** Arrival number and timestamp of an event, as the test sent it. */
    private record Sent(int arrival, long timestamp) {}

    @Test
    void handsOutEventsInTimeOrderThenArrivalOrderUpToEachWatermark() {
        SplittableRandom random = new SplittableRandom(42);
        for (int stream = 0; stream < 200; stream++) {
            WaitingEvents<Sent> waiting = new WaitingEvents<>();
            List<Sent> pending = new ArrayList<>();
            List<Sent> drained = new ArrayList<>();
            List<Sent> expected = new ArrayList<>();
            long newest = 0;
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < 300; i++) {
                // Mostly in order, some late within the bound, many ties.
                long ts = newest + random.nextInt(3) - (random.nextInt(10) == 0 ? 20 : 0);
                ts = Math.max(ts, watermark + 1);
                newest = Math.max(newest, ts);
                Sent sent = new Sent(i, ts);
                waiting.add("k", ts, sent, 0);
                pending.add(sent);
                if (random.nextInt(15) == 0) {
                    watermark = newest - 25;
                    drainTo(waiting, watermark, drained, pending, expected);
                }
            }
            assertThat(waiting.inArrivalOrder())
                    .extracting(w -> w.event)
                    .containsExactlyElementsOf(pending);
            drainTo(waiting, Long.MAX_VALUE, drained, pending, expected);
            assertThat(drained).containsExactlyElementsOf(expected);
            assertThat(waiting.size()).isZero();
        }
    }

    @Test
    void lagIsFromTheWatermarkToTheNewestEventWaiting() {
        WaitingEvents<String> waiting = new WaitingEvents<>();
        assertThat(waiting.lagBehindNewest(0)).isZero();
        waiting.add("k", 5_000, "a", 0);
        waiting.add("k", 61_000, "b", 0);
        waiting.add("k", 20_000, "c", 0);
        assertThat(waiting.lagBehindNewest(Long.MIN_VALUE))
                .as("before the first watermark")
                .isZero();
        assertThat(waiting.lagBehindNewest(1_000)).isEqualTo(60_000);
        assertThat(waiting.pollUpTo(30_000).event).isEqualTo("a");
        assertThat(waiting.pollUpTo(30_000).event).isEqualTo("c");
        assertThat(waiting.pollUpTo(30_000)).isNull();
        assertThat(waiting.lagBehindNewest(30_000)).isEqualTo(31_000);
        assertThat(waiting.pollUpTo(70_000).event).isEqualTo("b");
        assertThat(waiting.pollUpTo(70_000)).isNull();
        assertThat(waiting.lagBehindNewest(70_000)).as("nothing waits").isZero();
    }

    private static void drainTo(
            WaitingEvents<Sent> waiting,
            long watermark,
            List<Sent> drained,
            List<Sent> pending,
            List<Sent> expected) {
        List<Sent> due = new ArrayList<>();
        for (Sent s : pending) {
            if (s.timestamp <= watermark) {
                due.add(s);
            }
        }
        pending.removeAll(due);
        due.sort(Comparator.comparingLong(Sent::timestamp).thenComparingInt(Sent::arrival));
        expected.addAll(due);
        for (WaitingEvents.Waiting<Sent> w; (w = waiting.pollUpTo(watermark)) != null; ) {
            drained.add(w.event);
        }
    }
}
