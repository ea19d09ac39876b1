package dev.tideway.jobs.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Everything one bench run measured; a section that did not run stays null or empty. */
final class BenchResults {
    final BenchSettings settings;
    final String command;
    ThroughputSection.Result throughput;
    List<LatencySection.Row> latency = List.of();
    RecoverySection.Result recovery;
    List<StateSection.Row> state = List.of();
    EngineSection.Result engines;
    JfrSummary.Summary profile;
    final List<Path> charts = new ArrayList<>();

    /** What failed (a section, or one job's run), with the error; the rest still ran. */
    final List<String> failures = new ArrayList<>();

    Path report;

    BenchResults(BenchSettings settings, String command) {
        this.settings = settings;
        this.command = command;
    }
}
