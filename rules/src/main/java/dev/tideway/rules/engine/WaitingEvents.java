package dev.tideway.rules.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Events waiting for the watermark, handed out in event-time order (ties in arrival order).
 *
 * <p>Events are appended as they arrive and sorted when a watermark drains them. The input is
 * nearly sorted (a few sorted runs: one per source partition read, and the remainder of the last
 * drain), which the JDK's merge sort handles in about linear time. A priority queue cost a fifth of
 * the engine's time in comparisons with thousands of events waiting (profiled); an in-order queue
 * with a priority queue for the rest was little better, as events from several partitions
 * interleave.
 */
final class WaitingEvents<E> {
    /** An event waiting for the watermark to pass its timestamp. */
    static final class Waiting<E> {
        /** Event time, then arrival. Written out: the composed comparator showed in profiles. */
        static final Comparator<Waiting<?>> ORDER =
                (a, b) ->
                        a.timestamp != b.timestamp
                                ? Long.compare(a.timestamp, b.timestamp)
                                : Long.compare(a.arrival, b.arrival);

        final Object key;
        final long timestamp;
        final long arrival;
        final E event;

        /** Where in {@code event} the event is, when it is one of many (an offset in a chunk). */
        final int at;

        Waiting(Object key, long timestamp, long arrival, E event, int at) {
            this.key = key;
            this.timestamp = timestamp;
            this.arrival = arrival;
            this.event = event;
            this.at = at;
        }
    }

    /** Arrival order until sorted; {@code items[head..]} is what still waits. */
    private final ArrayList<Waiting<E>> items = new ArrayList<>();

    private int head;
    private boolean sorted = true;
    private long arrivals;

    /** The newest event time added; only a metric reads it. */
    private long newest = Long.MIN_VALUE;

    void add(Object key, long timestamp, E event, int at) {
        Waiting<E> w = new Waiting<>(key, timestamp, arrivals++, event, at);
        if (sorted && items.size() > head && items.get(items.size() - 1).timestamp > timestamp) {
            sorted = false;
        }
        items.add(w);
        newest = Math.max(newest, timestamp);
    }

    /**
     * Event time from {@code watermark} to the newest event waiting, in ms; 0 when nothing waits or
     * before the first watermark. It is how far the fastest input partition has run ahead of the
     * slowest: what the engine holds grows with it.
     */
    long lagBehindNewest(long watermark) {
        return size() == 0 || watermark == Long.MIN_VALUE ? 0 : Math.max(0, newest - watermark);
    }

    /**
     * The next event in time order if its timestamp is at or before {@code time}, else null (and
     * what was handed out is let go).
     */
    Waiting<E> pollUpTo(long time) {
        if (!sorted) {
            compact();
            items.sort(Waiting.ORDER);
            sorted = true;
        }
        if (head < items.size() && items.get(head).timestamp <= time) {
            Waiting<E> next = items.get(head);
            items.set(head++, null);
            return next;
        }
        compact();
        return null;
    }

    /**
     * The event {@code n} places after the one {@link #pollUpTo} handed out last (0: the next), in
     * time order, whether due or not; null past the last. Only valid right after {@link #pollUpTo}
     * returned an event.
     */
    Waiting<E> ahead(int n) {
        int at = head + n;
        return at < items.size() ? items.get(at) : null;
    }

    private void compact() {
        if (head > 0) {
            items.subList(0, head).clear();
            head = 0;
        }
    }

    /** Also read by the metrics thread, which may see a compaction half done: never below 0. */
    int size() {
        return Math.max(0, items.size() - head);
    }

    /** Every waiting event, in arrival order (how a checkpoint stores them). */
    List<Waiting<E>> inArrivalOrder() {
        List<Waiting<E>> all = new ArrayList<>(items.subList(head, items.size()));
        all.sort(Comparator.comparingLong(w -> w.arrival));
        return all;
    }
}
