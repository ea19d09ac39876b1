package dev.tideway.rules.testing;

import dev.tideway.rules.testing.EngineAndReference.Item;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded random stream: events on a coarse clock (so timestamps tie often), delivered out of
 * order by up to {@code disorderMillis}, with watermarks {@code disorderMillis} behind the newest
 * timestamp seen (so no event is late), a few deliberately late events, and a final watermark at
 * the end of time.
 */
public final class OutOfOrderStream {
    /** Makes the event with index i at event time ts. */
    @FunctionalInterface
    public interface EventMaker<E> {
        E make(Random random, int index, long ts);
    }

    private OutOfOrderStream() {}

    public static <E> List<Item<E>> generate(
            long seed,
            int events,
            long start,
            long tickMillis,
            long disorderMillis,
            double lateRatio,
            EventMaker<E> maker) {
        Random random = new Random(seed);
        record Timed<E>(E event, long ts, long arrival) {}
        List<Timed<Object>> timed = new ArrayList<>();
        long t = start;
        for (int i = 0; i < events; i++) {
            // Several events share a tick now and then; gaps vary so windows open and close.
            if (random.nextInt(3) > 0) {
                t += tickMillis * (1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 4));
            }
            long arrival = t + (long) (random.nextDouble() * disorderMillis);
            timed.add(new Timed<>(maker.make(random, i, t), t, arrival));
        }
        timed.sort(Comparator.comparingLong(Timed::arrival));
        List<Item<E>> items = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        int lateIndex = events;
        for (Timed<Object> e : timed) {
            @SuppressWarnings("unchecked")
            E event = (E) e.event();
            items.add(Item.event(event, e.ts()));
            maxSeen = Math.max(maxSeen, e.ts());
            if (random.nextInt(4) == 0 && maxSeen - disorderMillis - 1 > watermark) {
                watermark = maxSeen - disorderMillis - 1;
                items.add(Item.watermark(watermark));
                if (random.nextDouble() < lateRatio * 4) {
                    long lateTs = watermark - (long) (random.nextDouble() * disorderMillis);
                    items.add(Item.event(maker.make(random, lateIndex++, lateTs), lateTs));
                }
            }
        }
        items.add(Item.watermark(Long.MAX_VALUE));
        return items;
    }
}
