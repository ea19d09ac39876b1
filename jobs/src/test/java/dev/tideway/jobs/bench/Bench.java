package dev.tideway.jobs.bench;

import dev.tideway.connectors.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The benchmark harness of issue 6, {@code scripts/bench}: in one run, on a real in-process Kafka
 * broker and real Flink MiniClusters, it measures throughput against a plain-consumer baseline,
 * end-to-end latency at fixed rates, recovery after an injected failure, and throughput by state
 * size; optionally it profiles the fraud job with JFR. It writes report.md and PNG charts into
 * bench-results/TIMESTAMP/ (and points bench-results/latest at it), printing progress as it goes.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println(BenchSettings.USAGE);
            return;
        }
        Path root = Path.of("..", "bench-results").toAbsolutePath().normalize();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        BenchSettings settings;
        try {
            settings = BenchSettings.parse(args, root.resolve(stamp));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        KafkaBroker kafka = new KafkaBroker();
        kafka.start();
        int status = 0;
        try {
            BenchResults results = run(settings, kafka.bootstrapServers(), String.join(" ", args));
            System.out.println();
            System.out.println(Files.readString(results.report));
            link(settings.out());
            Progress.say(
                    "Written to %s (and %s)",
                    settings.out(), settings.out().resolveSibling("latest"));
            if (!results.failures.isEmpty()) {
                Progress.say("Failed (the report lists them): %s", results.failures);
                status = 1;
            }
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            kafka.stop();
        }
        // Kafka and Flink leave non-daemon threads behind.
        System.exit(status);
    }

    /** Runs the sections the settings ask for and writes the report and charts. */
    static BenchResults run(BenchSettings settings, String bootstrap, String command)
            throws Exception {
        Files.createDirectories(settings.out());
        BenchResults results = new BenchResults(settings, command);
        JobRuns runs = new JobRuns(settings, new BenchKafka(bootstrap));
        // A section that fails is reported as failed; the others still run, and the report is
        // written with what was measured.
        if (settings.runs(BenchSettings.Section.THROUGHPUT)) {
            section(
                    results,
                    "throughput",
                    () -> {
                        Progress.say(
                                "Throughput: %,d events per feed, jobs %s",
                                settings.events(), settings.jobs());
                        results.throughput = ThroughputSection.run(runs, results.failures);
                        if (results.throughput.profile() != null) {
                            results.profile =
                                    JfrSummary.summarize(results.throughput.profile(), 15);
                            Files.writeString(
                                    settings.out().resolve("profile-summary.md"),
                                    "# Where the fraud job's time goes\n\n"
                                            + results.profile.markdown());
                        }
                    });
        }
        if (settings.runs(BenchSettings.Section.LATENCY)) {
            section(
                    results,
                    "latency",
                    () -> {
                        Progress.say(
                                "Latency: rates %s, %d s each",
                                settings.rates(), settings.phase().toSeconds());
                        results.latency = LatencySection.run(runs);
                    });
        }
        if (settings.runs(BenchSettings.Section.RECOVERY)) {
            section(
                    results,
                    "recovery",
                    () -> {
                        Progress.say(
                                "Recovery: %,d events/s, one injected failure",
                                settings.recoveryRate());
                        results.recovery = RecoverySection.run(runs);
                    });
        }
        if (settings.runs(BenchSettings.Section.STATE)) {
            section(
                    results,
                    "state scale",
                    () -> {
                        Progress.say(
                                "State scale: cards %s, %,d events each",
                                settings.cards(), settings.stateEvents());
                        results.state = StateSection.run(runs);
                    });
        }
        if (settings.runs(BenchSettings.Section.ENGINES)) {
            section(
                    results,
                    "engines",
                    () -> {
                        Progress.say(
                                "Rules engine against flink-cep: %,d events",
                                settings.engineEvents());
                        results.engines = EngineSection.run(runs, results.failures);
                    });
        }
        Charts.write(results, settings.out());
        results.report = settings.out().resolve("report.md");
        Files.writeString(results.report, Report.markdown(results));
        return results;
    }

    /** A section of the run. */
    private interface Section {
        void run() throws Exception;
    }

    private static void section(BenchResults results, String name, Section section) {
        try {
            section.run();
        } catch (Exception e) {
            Progress.say("%s failed: %s", name, e);
            e.printStackTrace();
            results.failures.add(name + ": " + e);
        }
    }

    /** bench-results/latest: a link to the newest run. */
    private static void link(Path out) throws java.io.IOException {
        Path latest = out.resolveSibling("latest");
        Files.deleteIfExists(latest);
        Files.createSymbolicLink(latest, out.getFileName());
    }

    private Bench() {}
}
