package dev.tideway.jobs.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What the rules engine held while the job read the middle 80 % of its input, the window of its
 * sustained rate ({@link ReadProgress}): the events waiting for the watermark, and the event time
 * from the watermark to the newest of them (the engine's {@code tidewayEventsWaitingForWatermark}
 * and {@code tidewayWatermarkLagMs}, summed over its subtasks, the lag the largest). A lag that
 * grows through the run means the source's partitions drift apart and the heap fills with what was
 * read ahead of the slowest.
 */
final class EngineBacklog {
    private record Sample(long recordsRead, long waiting, long lagMillis) {}

    private final List<Sample> samples = new ArrayList<>();

    synchronized void sample(long recordsRead, long waiting, long lagMillis) {
        samples.add(new Sample(recordsRead, waiting, lagMillis));
    }

    /** For the log; null when the job has no rules engine. */
    synchronized String summary() {
        if (samples.isEmpty() || samples.stream().allMatch(s -> s.waiting() == 0)) {
            return null;
        }
        long total = samples.get(samples.size() - 1).recordsRead();
        List<Sample> window =
                samples.stream()
                        .filter(s -> ReadProgress.inWindow(s.recordsRead(), total))
                        .toList();
        if (window.size() < 2) {
            return "engine backlog: the run was too short";
        }
        return String.format(
                "engine backlog (events waiting for the watermark; event time from the watermark to"
                        + " the newest of them): at the window's start %,d, %.1f s; median %,d,"
                        + " %.1f s; peak %,d, %.1f s; at its end %,d, %.1f s",
                window.get(0).waiting(),
                window.get(0).lagMillis() / 1000.0,
                median(window, Sample::waiting),
                median(window, Sample::lagMillis) / 1000.0,
                peak(window, Sample::waiting),
                peak(window, Sample::lagMillis) / 1000.0,
                window.get(window.size() - 1).waiting(),
                window.get(window.size() - 1).lagMillis() / 1000.0);
    }

    private static long median(List<Sample> window, ToLongFunction<Sample> value) {
        List<Sample> sorted = window.stream().sorted(Comparator.comparingLong(value)).toList();
        return value.applyAsLong(sorted.get(sorted.size() / 2));
    }

    private static long peak(List<Sample> window, ToLongFunction<Sample> value) {
        return window.stream().mapToLong(value).max().orElse(0);
    }
}
