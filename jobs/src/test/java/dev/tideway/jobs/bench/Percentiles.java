package dev.tideway.jobs.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a set of milliseconds. */
record Percentiles(long count, long p50, long p99, long p999, long max) {

    static Percentiles of(Collection<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Percentiles(0, -1, -1, -1, -1);
        }
        return new Percentiles(
                sorted.length,
                rank(sorted, 0.50),
                rank(sorted, 0.99),
                rank(sorted, 0.999),
                sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return Arrays.toString(new long[] {count, p50, p99, p999, max});
    }
}
