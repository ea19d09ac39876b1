package dev.tideway.jobs.bench;

import dev.tideway.jobs.bench.AlertWatcher.Sample;
import dev.tideway.jobs.bench.PacedGenerator.Phase;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Recovery: the fraud job at a steady rate (production settings: exactly-once, config.yaml), one
 * failure injected after a checkpoint ({@code FailOnceAfterCheckpoint}), and the time from the
 * failure until the job caught up: the first alert about an event after the failure whose
 * end-to-end lag is back to normal (at most 1.5 times the p99 before the failure, and at least that
 * p99 plus 250 ms).
 */
final class RecoverySection {

    /**
     * @param normalP99 lag p99 of the alerts about events in the half of the before-failure time
     *     that precedes the failure
     * @param restartedAfter failure until the job ran again, ms; -1 if not seen
     * @param caughtUpAfter failure until the lag was back to normal, ms; -1 if it never was
     * @param lag every alert: (seconds since the generator started, lag in ms), for the chart
     */
    record Result(
            int rate,
            long failedAtMillis,
            long normalP99,
            long thresholdMillis,
            long restartedAfter,
            long caughtUpAfter,
            long alerts,
            double failureSecond,
            List<double[]> lag,
            JobProcess.JobResult process) {}

    static Result run(JobRuns runs) throws Exception {
        BenchSettings settings = runs.settings();
        int rate = settings.recoveryRate();
        Duration before = settings.recoveryBeforeFailure();
        Duration after = settings.quick() ? Duration.ofSeconds(10) : Duration.ofSeconds(60);
        // Counted from the job's first record: the warm-up comes first.
        long failAfter =
                (long)
                        (rate
                                * (before.plus(LatencySection.warmUp(settings)).toMillis() / 1000.0)
                                / LatencySection.PARALLELISM);
        Progress.say(
                "  recovery: %,d events/s, failure after about %d s, then %d s ...",
                rate, before.toSeconds(), after.toSeconds());
        var measured =
                LatencySection.measure(
                        runs,
                        "recovery",
                        LatencyMode.EXACTLY_ONCE,
                        List.of(new Phase("recovery", rate, before.plus(after))),
                        failAfter);
        if (measured.failedAt() == null) {
            throw new IllegalStateException(
                    "the failure was not injected: the job never processed "
                            + failAfter
                            + " records per subtask after a checkpoint");
        }
        long failedAt = Long.parseLong(measured.failedAt());
        long start = measured.generatorStart();
        List<Sample> samples =
                measured.samples().stream()
                        .sorted(Comparator.comparingLong(Sample::visibleAt))
                        .toList();
        // Steady state: the last stretch before the failure (the warm-up came before it).
        long steadyFrom = failedAt - before.toMillis() / 2;
        long normal =
                Percentiles.of(
                                samples.stream()
                                        .filter(
                                                s ->
                                                        s.eventTime() >= steadyFrom
                                                                && s.eventTime() < failedAt)
                                        .map(Sample::latency)
                                        .toList())
                        .p99();
        long threshold = Math.max(normal * 3 / 2, normal + 250);
        long caughtUp =
                samples.stream()
                        .filter(s -> s.eventTime() > failedAt && s.latency() <= threshold)
                        .mapToLong(Sample::visibleAt)
                        .findFirst()
                        .orElse(-1);
        long restarted =
                measured.runningAgain() == null
                        ? -1
                        : Long.parseLong(measured.runningAgain()) - failedAt;
        Result result =
                new Result(
                        rate,
                        failedAt,
                        normal,
                        threshold,
                        restarted,
                        caughtUp < 0 ? -1 : caughtUp - failedAt,
                        samples.size(),
                        (failedAt - start) / 1000.0,
                        samples.stream()
                                .map(
                                        s ->
                                                new double[] {
                                                    (s.visibleAt() - start) / 1000.0, s.latency()
                                                })
                                .toList(),
                        measured.process());
        Progress.say(
                "  recovery: normal lag p99 %d ms; running again after %d ms; caught up after %d"
                        + " ms",
                normal, restarted, result.caughtUpAfter());
        return result;
    }

    private RecoverySection() {}
}
