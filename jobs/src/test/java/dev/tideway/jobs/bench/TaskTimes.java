package dev.tideway.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each task's share of busy, backpressured and idle time (Flink's standard task metrics) while the
 * job read the middle 80 % of its input, the window of its sustained rate ({@link ReadProgress}). A
 * task busy nearly all the time holds the job back; one often backpressured waits for it; one often
 * idle waits for its input.
 */
final class TaskTimes {
    private record Sample(long recordsRead, Map<String, long[]> millis) {}

    private final List<Sample> samples = new ArrayList<>();

    /** One sample: records read so far, and each task's busy, backpressured, idle ms per second. */
    synchronized void sample(long recordsRead, Map<String, long[]> millis) {
        samples.add(new Sample(recordsRead, millis));
    }

    /**
     * For the log: each task's average busy / backpressured / idle share while the source read from
     * 10 % to 90 % of all it read.
     */
    synchronized String summary() {
        if (samples.isEmpty()) {
            return "task time: no samples";
        }
        long total = samples.get(samples.size() - 1).recordsRead();
        if (total == 0) {
            return "task time: the run was too short";
        }
        Map<String, long[]> sums = new TreeMap<>();
        int counted = 0;
        for (Sample s : samples) {
            if (!ReadProgress.inWindow(s.recordsRead(), total)) {
                continue;
            }
            counted++;
            s.millis()
                    .forEach(
                            (task, ms) -> {
                                long[] sum = sums.computeIfAbsent(task, k -> new long[ms.length]);
                                for (int i = 0; i < ms.length; i++) {
                                    sum[i] += ms[i];
                                }
                            });
        }
        if (counted == 0) {
            return "task time: the run was too short";
        }
        StringBuilder out = new StringBuilder("task time (busy / backpressured / idle):");
        int n = counted;
        sums.forEach(
                (task, sum) ->
                        out.append(
                                String.format(
                                        " %s %d/%d/%d %%;",
                                        task, pct(sum[0], n), pct(sum[1], n), pct(sum[2], n))));
        return out.toString();
    }

    /** Average ms per second over n samples, as a percentage. */
    private static long pct(long sumMillis, int n) {
        return Math.round(sumMillis / (double) n / 10);
    }
}
