package dev.tideway.jobs.bench;

import dev.tideway.jobs.bench.ThroughputSection.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The markdown report of a bench run: what ran where, one table per section, the charts. */
final class Report {

    static String markdown(BenchResults r) {
        StringBuilder md = new StringBuilder();
        md.append("# Tideway benchmarks\n\n");
        md.append("Run ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(": `scripts/bench ")
                .append(r.command)
                .append("`")
                .append(r.settings.quick() ? " (quick mode: sizes too small to mean much)" : "")
                .append("\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");
        md.append(
                "Every job runs in a JVM of its own (a MiniCluster, "
                        + JobProcess.HEAP
                        + ") with flink-conf/config.yaml: exactly-once, RocksDB with incremental"
                        + " checkpoints, checkpoints every "
                        + (r.settings.checkpointInterval() == null
                                ? "10 s"
                                : r.settings.checkpointInterval() + " (quick mode)")
                        + " unless a profile says otherwise. The Kafka broker (KRaft, in-process),"
                        + " the generator and the consumers run in the harness's JVM, on the same"
                        + " cores.\n\n");
        if (!r.failures.isEmpty()) {
            md.append("## Failed\n\nThese did not complete; everything else below did.\n\n");
            for (String failure : r.failures) {
                md.append("- ").append(failure.replace('\n', ' ')).append("\n");
            }
            md.append("\n");
        }
        if (r.throughput != null) {
            throughput(md, r.throughput);
        }
        if (!r.latency.isEmpty()) {
            latency(md, r);
        }
        if (r.recovery != null) {
            recovery(md, r.recovery);
        }
        if (!r.state.isEmpty()) {
            state(md, r);
        }
        if (r.engines != null) {
            engines(md, r.engines);
        }
        if (r.profile != null) {
            md.append("## Profile: fraud job, parallelism 1, throughput run\n\n");
            md.append(
                    "JFR (profile settings) over the whole job run; the recording is"
                            + " `profile-fraud-p1.jfr` (open it in JDK Mission Control, or `jfr print"
                            + " --events jdk.ExecutionSample`).\n\n");
            md.append(r.profile.markdown());
        }
        if (!r.charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (Path chart : r.charts) {
                md.append("![")
                        .append(chart.getFileName())
                        .append("](")
                        .append(chart.getFileName())
                        .append(")\n\n");
            }
        }
        return md.toString();
    }

    private static void throughput(StringBuilder md, ThroughputSection.Result t) {
        md.append("## Throughput\n\n");
        md.append(
                "Each job over a preloaded topic of its feed (the generator's scenario: 4"
                        + " partitions, lz4, about 0.1 % bad records, 5 % out of order), bounded at"
                        + " the preloaded end. Seconds are the job's net runtime: start, all records,"
                        + " and the final checkpoint that commits the output. The baseline is one"
                        + " thread with a plain KafkaConsumer (read_committed) that reads and"
                        + " decodes (validates) the same topic with the same codec, no Flink."
                        + " Sustained is the rate while the job's source (or the baseline's"
                        + " consumer) read the middle 80 % of the topic (from 10 % to 90 %): the"
                        + " job's processing rate without its start and its final checkpoint,"
                        + " which the net runtime holds whatever the topic's size; empty where"
                        + " the topic is too small to tell. Sustained of baseline compares the"
                        + " two sustained rates. The baseline runs again after each job: a job's"
                        + " share is against the mean of the baselines right before and right"
                        + " after it (both in the last column), so that the machine's drift"
                        + " between minutes does not count as the job's; the first baseline's"
                        + " row is the one before any job ran.\n\n");
        md.append(
                "| job | feed | parallelism | events | seconds | events/s | events/s per core"
                        + " | of baseline | sustained events/s | sustained of baseline | peak RSS"
                        + " | peak heap | baselines before / after: events/s (sustained) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var b : t.baselines().entrySet()) {
            var baseline = b.getValue();
            md.append(
                    String.format(
                            "| first baseline: KafkaConsumer + decode, 1 thread | %s | 1 | %,d | %.1f |"
                                    + " %,.0f | %,.0f | 100 %% | %s | 100 %% | | | |%n",
                            feed(b.getKey()),
                            baseline.records(),
                            baseline.seconds(),
                            baseline.perSecond(),
                            baseline.perSecond(),
                            sustained(baseline.sustainedPerSecond())));
        }
        for (Row row : t.rows()) {
            md.append(
                    String.format(
                            "| %s: %s | %s | %d | %,d | %.1f | %,.0f | %,.0f | %.1f %% | %s | %s |"
                                    + " %s | %s | %s / %s |%n",
                            row.job().name(),
                            row.job().what(),
                            feed(row.feed()),
                            row.parallelism(),
                            row.events(),
                            row.seconds(),
                            row.perSecond(),
                            row.perCore(),
                            100 * t.ofBaseline(row),
                            sustained(row.sustainedPerSecond()),
                            t.hasSustained(row)
                                    ? String.format("%.1f %%", 100 * t.sustainedOfBaseline(row))
                                    : "",
                            bytes(row.process().peakRssBytes()),
                            bytes(row.process().peakHeapBytes()),
                            rates(row.before()),
                            rates(row.after())));
        }
        md.append('\n');
        t.rows().stream()
                .filter(row -> row.job().name().equals("fraud") && row.parallelism() == 1)
                .findFirst()
                .ifPresent(
                        row ->
                                md.append(
                                        String.format(
                                                "**Headline: fraud job / baseline at parallelism 1"
                                                        + " = %.1f %%%s** (target: at least 60"
                                                        + " %%).%n%n",
                                                100 * t.ofBaseline(row),
                                                t.hasSustained(row)
                                                        ? String.format(
                                                                " (sustained: %.1f %%)",
                                                                100 * t.sustainedOfBaseline(row))
                                                        : "")));
    }

    /** A baseline's events/s, and its sustained rate in brackets where there is one. */
    private static String rates(BenchKafka.Baseline baseline) {
        String sustained = sustained(baseline.sustainedPerSecond());
        return String.format("%,.0f", baseline.perSecond())
                + (sustained.isEmpty() ? "" : " (" + sustained + ")");
    }

    /** A sustained rate, or nothing where the run was too short to tell one. */
    static String sustained(double perSecond) {
        return perSecond > 0 ? String.format("%,.0f", perSecond) : "";
    }

    private static void latency(StringBuilder md, BenchResults r) {
        md.append("## Latency\n\n");
        md.append(
                "The fraud job (parallelism "
                        + LatencySection.PARALLELISM
                        + ", unbounded) while the generator writes at each rate for "
                        + r.settings.phase().toSeconds()
                        + " s, lowest rate first, in one job run per mode (after a warm-up that is"
                        + " not counted). Measured at the consumer: from the alert's event time"
                        + " (the creation time of the event that completed the fraud: the"
                        + " generator stamps each event with the moment it is due to be sent) to"
                        + " the moment a read_committed consumer of the alerts topic receives the"
                        + " alert. \"detection p99\" is the job's own notion (Alert.detectedAt -"
                        + " eventTime, as in the tidewayAlertsLatencyMs histogram): the part"
                        + " before the sink commits. Injected frauds: "
                        + LatencySection.FRAUD_RATIO
                        + " of 8-record blocks, "
                        + LatencySection.CARDS
                        + " cards. A rate the job cannot sustain shows as alerts missing by the"
                        + " end of the run and growing latency.\n\n");
        md.append(
                "| mode | rate | sent/s | alerts visible / injected | p50 ms | p99 ms | p99.9 ms"
                        + " | max ms | detection p99 ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var row : r.latency) {
            var v = row.visible();
            md.append(
                    String.format(
                            "| %s | %,d/s | %,.0f | %,d / %,d | %s | %s | %s | %s | %s |%n",
                            row.mode().label,
                            row.sent().phase().rate(),
                            row.sent().rate(),
                            v.count(),
                            row.expected(),
                            ms(v.p50()),
                            ms(v.p99()),
                            ms(v.p999()),
                            ms(v.max()),
                            ms(row.detection().p99())));
        }
        md.append(
                "\nTargets at 10K events/s: p99 at most 10 ms at-least-once with the low-latency"
                        + " profile; at most 300 ms until visible to read_committed with"
                        + " exactly-once.\n\n");
    }

    private static void recovery(StringBuilder md, RecoverySection.Result rec) {
        md.append("## Recovery\n\n");
        md.append(
                String.format(
                        "The fraud job (parallelism %d, exactly-once, config.yaml's restart"
                                + " strategy) at %,d events/s; one failure injected after a"
                                + " checkpoint (FailOnceAfterCheckpoint) at %.1f s. Caught up ="
                                + " the first alert about an event after the failure whose lag"
                                + " (event to visible) is back to normal: at most %,d ms (the lag"
                                + " p99 before the failure was %,d ms).%n%n",
                        LatencySection.PARALLELISM,
                        rec.rate(),
                        rec.failureSecond(),
                        rec.thresholdMillis(),
                        rec.normalP99()));
        md.append(
                "| rate | lag p99 before | failure to running again | failure to caught up |"
                        + " alerts seen |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        md.append(
                String.format(
                        "| %,d/s | %s | %s | %s | %,d |%n%n",
                        rec.rate(),
                        ms(rec.normalP99()),
                        seconds(rec.restartedAfter()),
                        rec.caughtUpAfter() < 0
                                ? "not caught up by the end of the run"
                                : seconds(rec.caughtUpAfter()),
                        rec.alerts()));
        md.append("Target: caught up at most 10 s after the restart at 10K events/s.\n\n");
    }

    private static void engines(StringBuilder md, EngineSection.Result e) {
        md.append("## Rules engine against flink-cep\n\n");
        md.append(
                "The fraud job's rules (card testing, declined burst, impossible travel) on the"
                        + " Tideway rules engine and on flink-cep, parallelism 1, over one topic"
                        + " of its own in one run (smaller than the throughput section's, for"
                        + " flink-cep's sake), beside the baseline on that topic. flink-cep runs"
                        + " with unaligned checkpoints: aligned ones expire behind it.\n\n");
        md.append("| job | events | seconds | events/s | of baseline | against flink-cep |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        md.append(
                String.format(
                        "| baseline: KafkaConsumer + decode, 1 thread | %,d | %.1f | %,.0f | 100 %%"
                                + " | |%n",
                        e.baseline().records(), e.baseline().seconds(), e.baseline().perSecond()));
        double cep =
                e.rows().stream()
                        .filter(row -> row.job().name().equals("fraud-cep"))
                        .mapToDouble(EngineSection.Row::perSecond)
                        .findFirst()
                        .orElse(Double.NaN);
        for (var row : e.rows()) {
            md.append(
                    String.format(
                            "| %s: %s | %,d | %.1f | %,.0f | %.1f %% | %s |%n",
                            row.job().name(),
                            row.job().what(),
                            row.events(),
                            row.seconds(),
                            row.perSecond(),
                            100 * e.ofBaseline(row),
                            Double.isNaN(cep)
                                    ? "(no flink-cep figure)"
                                    : String.format("%.1f x", row.perSecond() / cep)));
        }
        md.append('\n');
    }

    private static void state(StringBuilder md, BenchResults r) {
        md.append("## State scale\n\n");
        md.append(
                "The fraud job at parallelism 1 over topics that differ only in the number of"
                        + " distinct cards in the generator (keyed state grows with it). Memory is"
                        + " that of the job's own JVM process: peak RSS is the kernel's VmHWM (heap,"
                        + " RocksDB's native memory, metaspace, everything); peak heap is the most"
                        + " heap in use seen by a 100 ms sampler.\n\n");
        md.append(
                "| cards in the generator | events | distinct cards expected | events/s | of the"
                        + " smallest | peak RSS | peak heap |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        double first = r.state.get(0).perSecond();
        for (var row : r.state) {
            md.append(
                    String.format(
                            "| %,d | %,d | %,d | %,.0f | %.0f %% | %s | %s |%n",
                            row.cards(),
                            row.events(),
                            row.distinctCards(),
                            row.perSecond(),
                            100 * row.perSecond() / first,
                            bytes(row.process().peakRssBytes()),
                            bytes(row.process().peakHeapBytes())));
        }
        md.append(
                "\nTarget: with 10M cards at least 70 % of the throughput with 10K, process"
                        + " within 2 GiB.\n\n");
    }

    static String machine() {
        String cpu = "?";
        String memory = "?";
        try {
            cpu =
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(l -> l.startsWith("model name"))
                            .map(l -> l.substring(l.indexOf(':') + 1).strip())
                            .findFirst()
                            .orElse("?");
            memory =
                    Files.readAllLines(Path.of("/proc/meminfo")).stream()
                            .filter(l -> l.startsWith("MemTotal"))
                            .map(l -> bytes(1024 * Long.parseLong(l.replaceAll("[^0-9]", ""))))
                            .findFirst()
                            .orElse("?");
        } catch (IOException e) {
            // not Linux
        }
        return String.format(
                "%d cores (%s), %s RAM, %s %s, Java %s, Flink %s, kafka-clients %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memory,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                org.apache.flink.runtime.util.EnvironmentInformation.getVersion(),
                org.apache.kafka.common.utils.AppInfoParser.getVersion());
    }

    private static String feed(Object feed) {
        return feed.toString().toLowerCase(java.util.Locale.ROOT);
    }

    static String bytes(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        return bytes >= 1L << 30
                ? String.format("%.2f GiB", bytes / (double) (1L << 30))
                : String.format("%,d MiB", bytes >> 20);
    }

    private static String ms(long millis) {
        return millis < 0 ? "–" : String.format("%,d", millis);
    }

    private static String seconds(long millis) {
        return millis < 0 ? "not seen" : String.format("%.1f s", millis / 1000.0);
    }

    private Report() {}
}
