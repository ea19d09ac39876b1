package dev.tideway.jobs.bench;

import java.util.Arrays;

/**
 * Samples of how many records a job's source had read when, and the rate over the middle of the
 * input they show: from 10 % to 90 % of all it read. That leaves out the job's start (deployment,
 * first JIT compiles) and its end (the wait for the final checkpoint), which a net runtime holds
 * whatever the size of the input. Network buffers between the source and the next operator hold a
 * few thousand records, which is small against an input of a million; over a small input the rate
 * is not meaningful, and {@link #sustainedPerSecond} says 0.
 */
final class ReadProgress {
    /** Sampling period: fine enough for a window of seconds. */
    static final long PERIOD_MILLIS = 20;

    /** Fewer records than this between the window's ends: too few to tell a rate. */
    static final long MIN_WINDOW_RECORDS = 100_000;

    private long[] times = new long[1024];
    private long[] counts = new long[1024];
    private int size;

    /** Adds a sample if the last one is at least {@link #PERIOD_MILLIS} old. */
    synchronized void sample(long nowMillis, long recordsRead) {
        if (size > 0 && nowMillis - times[size - 1] < PERIOD_MILLIS) {
            return;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        times[size] = nowMillis;
        counts[size] = recordsRead;
        size++;
    }

    /** The first count of the middle 80 % of {@code total} records (10 %). */
    static long windowStart(long total) {
        return total / 10;
    }

    /** The last count of the middle 80 % of {@code total} records (90 %). */
    static long windowEnd(long total) {
        return total - total / 10;
    }

    /** Whether a sample taken at {@code recordsRead} lies in the middle 80 % of {@code total}. */
    static boolean inWindow(long recordsRead, long total) {
        return recordsRead >= windowStart(total) && recordsRead <= windowEnd(total);
    }

    /** Records per second from the first sample at 10 % of the last count to the first at 90 %. */
    synchronized long sustainedPerSecond() {
        if (size == 0) {
            return 0;
        }
        long total = counts[size - 1];
        int from = firstAtLeast(windowStart(total));
        int to = firstAtLeast(windowEnd(total));
        long records = counts[to] - counts[from];
        long millis = times[to] - times[from];
        return records < MIN_WINDOW_RECORDS || millis <= 0 ? 0 : records * 1000 / millis;
    }

    /**
     * Records per second in each tenth of the input, for the run's log: shows how long the job took
     * to reach its pace (start, JIT compilation) and whether it kept it.
     */
    synchronized String tenths() {
        if (size == 0 || counts[size - 1] == 0) {
            return "no records read";
        }
        long total = counts[size - 1];
        StringBuilder out = new StringBuilder("records/s by tenth of the input:");
        int from = firstAtLeast(0);
        for (int tenth = 1; tenth <= 10; tenth++) {
            int to = firstAtLeast(total * tenth / 10);
            long millis = times[to] - times[from];
            out.append(' ').append(millis > 0 ? (counts[to] - counts[from]) * 1000 / millis : 0);
            from = to;
        }
        return out.toString();
    }

    private int firstAtLeast(long count) {
        int i = 0;
        while (counts[i] < count) {
            i++;
        }
        return i;
    }
}
