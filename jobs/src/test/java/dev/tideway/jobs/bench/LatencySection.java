package dev.tideway.jobs.bench;

import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.bench.AlertWatcher.Sample;
import dev.tideway.jobs.bench.PacedGenerator.Phase;
import dev.tideway.jobs.bench.PacedGenerator.Sent;
import dev.tideway.jobs.fraud.FraudOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;

/**
 * Latency: the fraud job, unbounded, while the generator writes at each rate in turn (lowest first,
 * one job run per mode). For every alert: from its event time, which is when the event that
 * completed the fraud was created, to the moment a read_committed consumer of the alerts topic
 * receives it.
 */
final class LatencySection {
    /** Parallelism of the latency and recovery runs: one subtask per core of this machine. */
    static final int PARALLELISM = 2;

    static final String WARM_UP = "warm-up";

    /** Distinct cards of the paced traffic. */
    static final int CARDS = 100_000;

    /**
     * Share of 8-record blocks with a fraud: enough alerts per phase for a p99.9 (0.1 gives a fraud
     * in 1.25 % of the records, ten times the generator's default).
     */
    static final double FRAUD_RATIO = 0.1;

    /**
     * @param visible end-to-end latency of the alerts that became visible before the run ended
     * @param detection the job's own notion, detectedAt - eventTime (tidewayAlertsLatencyMs)
     */
    record Row(
            LatencyMode mode,
            Sent sent,
            Percentiles visible,
            Percentiles detection,
            JobProcess.JobResult process) {
        long expected() {
            return sent.frauds();
        }
    }

    static List<Row> run(JobRuns runs) throws Exception {
        BenchSettings settings = runs.settings();
        List<Row> rows = new ArrayList<>();
        for (LatencyMode mode : settings.latencyModes()) {
            Progress.say("  latency, %s: rates %s events/s ...", mode.label, settings.rates());
            List<Phase> phases = new ArrayList<>();
            for (int rate : settings.rates()) {
                phases.add(new Phase(rate + "/s", rate, settings.phase()));
            }
            Measured measured =
                    measure(runs, "latency-" + mode.name().toLowerCase(), mode, phases, 0);
            for (Sent sent : measured.sent()) {
                if (sent.phase().name().equals(WARM_UP)) {
                    continue;
                }
                List<Sample> inPhase =
                        measured.samples().stream().filter(s -> sent.holds(s.index())).toList();
                Percentiles visible =
                        Percentiles.of(inPhase.stream().map(Sample::latency).toList());
                rows.add(
                        new Row(
                                mode,
                                sent,
                                visible,
                                Percentiles.of(inPhase.stream().map(Sample::detection).toList()),
                                measured.process()));
                Progress.say(
                        "  latency, %s, %s: %d of %d alerts visible; p50 %d ms, p99 %d ms, p99.9"
                                + " %d ms",
                        mode.label,
                        sent.phase().name(),
                        visible.count(),
                        sent.frauds(),
                        visible.p50(),
                        visible.p99(),
                        visible.p999());
            }
        }
        return rows;
    }

    /** What one paced run gave: what was sent, what became visible, and the job's process. */
    record Measured(
            List<Sent> sent,
            List<Sample> samples,
            JobProcess.JobResult process,
            long generatorStart,
            String failedAt,
            String restarting,
            String runningAgain) {}

    /**
     * Runs the fraud job unbounded on a fresh topic, writes the phases, and waits for the alerts to
     * become visible (or a deadline: a job that cannot keep up never shows them all).
     *
     * @param failAfter 0, or the records per subtask after which the job fails once
     */
    static Measured measure(
            JobRuns runs, String label, LatencyMode mode, List<Phase> phases, long failAfter)
            throws Exception {
        BenchSettings settings = runs.settings();
        String input = dev.tideway.connectors.testing.KafkaBroker.uniqueName("bench-" + label);
        runs.kafka().createTopics(BenchKafka.INPUT_PARTITIONS, List.of(input));
        var run = runs.prepare(BenchJobs.named("fraud"), label, input, PARALLELISM, mode.profile);
        run.config.set(KafkaOptions.BOUNDED, false);
        run.config.set(KafkaOptions.DELIVERY, mode.delivery);
        run.config.set(JobProcess.FAIL_AFTER, failAfter);
        Duration interval =
                run.config
                        .getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                        .orElse(Duration.ofSeconds(10));
        try (JobProcess process = run.start()) {
            process.await("running", Duration.ofMinutes(2));
            AlertWatcher watcher =
                    new AlertWatcher(
                            runs.kafka().bootstrap(), run.config.get(FraudOptions.ALERTS_TOPIC));
            watcher.start();
            // Not measured: the job's first seconds (deployment, JIT, first checkpoint, the
            // backlog they leave), until an alert is visible about as soon as the job's event
            // time (the out-of-orderness bound) and the commits (the checkpoint interval) allow.
            long caughtUp =
                    run.config.get(EventTimeOptions.MAX_OUT_OF_ORDERNESS).toMillis()
                            + (mode.delivery == KafkaOptions.Delivery.EXACTLY_ONCE
                                    ? interval.toMillis()
                                    : 0)
                            + 2_000;
            List<Phase> all = new ArrayList<>();
            all.add(
                    new Phase(
                            WARM_UP,
                            phases.get(0).rate(),
                            warmUp(settings),
                            () ->
                                    watcher.latestLatency() >= 0
                                            && watcher.latestLatency() <= caughtUp,
                            settings.quick() ? Duration.ofSeconds(20) : Duration.ofMinutes(3)));
            all.addAll(phases);
            PacedGenerator generator =
                    new PacedGenerator(runs.kafka().bootstrap(), input, all, CARDS, FRAUD_RATIO);
            long generatorStart = System.currentTimeMillis();
            generator.start();
            Duration total =
                    phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
            // The warm-up may last its maximum on top of the measured phases.
            List<Sent> sent =
                    generator.await(
                            all.get(0).maxWarmUp().plus(total.multipliedBy(2)).plusMinutes(1));
            long expected = sent.stream().mapToLong(Sent::frauds).sum();
            // Results of exactly-once runs wait for the next commit: allow a few intervals.
            Duration drain =
                    settings.quick()
                            ? Duration.ofSeconds(15)
                            : interval.multipliedBy(3).plusSeconds(30);
            watcher.awaitCount(expected, drain);
            process.stop();
            var result = process.result(Duration.ofMinutes(2));
            watcher.shutdown();
            return new Measured(
                    sent,
                    watcher.samples(),
                    result,
                    generatorStart,
                    process.report("failed-at"),
                    process.report("restarting"),
                    process.report("running-again"));
        } finally {
            run.cleanUp();
        }
    }

    /** The shortest warm-up; it lasts until the first alert is visible. */
    static Duration warmUp(BenchSettings settings) {
        return settings.quick() ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
    }

    private LatencySection() {}
}
