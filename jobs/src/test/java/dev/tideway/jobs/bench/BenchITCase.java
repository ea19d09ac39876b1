package dev.tideway.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.connectors.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark harness working: the quick run (with the profile) must produce every figure
 * of every section, the report and each chart. It never asserts the values; speed is for
 * scripts/bench to print.
 */
// About two minutes on a quiet 2-core machine; the limit only guards against a hang.
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class BenchITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @Test
    void quickRunProducesEveryFigureAndChart(@TempDir Path out) throws Exception {
        BenchSettings settings =
                BenchSettings.quick(out)
                        .with(
                                b -> {
                                    b.profile = true;
                                    // One job keeps the test short; scripts/bench --quick runs
                                    // them all.
                                    b.jobs = List.of("fraud");
                                    b.latencyModes = List.of(LatencyMode.EXACTLY_ONCE_LOW_LATENCY);
                                    b.cards = List.of(100, 1_000);
                                });

        BenchResults results = Bench.run(settings, KAFKA.bootstrapServers(), "--quick --profile");

        var throughput = results.throughput;
        assertThat(throughput.baselines())
                .containsOnlyKeys(dev.tideway.jobs.generator.GeneratorOptions.Feed.TRANSACTIONS);
        assertThat(throughput.baselines().values())
                .allSatisfy(b -> assertThat(b.records()).isEqualTo(settings.events()));
        assertThat(throughput.rows())
                .extracting(r -> r.job().name() + " p" + r.parallelism())
                .containsExactly("fraud p1");
        assertThat(throughput.rows())
                .allSatisfy(
                        row -> {
                            assertThat(row.events()).isEqualTo(settings.events());
                            assertThat(row.seconds()).isPositive();
                            assertThat(row.process().recordsRead())
                                    .as("records the source's metric counted")
                                    .isEqualTo(settings.events());
                            assertThat(row.process().peakRssBytes()).isPositive();
                            assertThat(row.process().peakHeapBytes()).isPositive();
                            // The baselines around the run read the whole topic too.
                            assertThat(List.of(row.before(), row.after()))
                                    .allSatisfy(
                                            b ->
                                                    assertThat(b.records())
                                                            .isEqualTo(settings.events()));
                        });
        var first = throughput.rows().get(0);
        assertThat(first.before())
                .as("the first run's baseline before it is the feed's first baseline")
                .isSameAs(throughput.baselines().get(first.feed()));
        assertThat(first.after()).isNotSameAs(first.before());

        assertThat(results.latency)
                .extracting(r -> r.mode() + " " + r.sent().phase().rate())
                .containsExactly("EXACTLY_ONCE_LOW_LATENCY 200", "EXACTLY_ONCE_LOW_LATENCY 1000");
        // How many alerts become visible within a short run depends on the machine's speed (and
        // its load), so only what was sent and measured is checked, not what arrived in time.
        assertThat(results.latency)
                .allSatisfy(
                        row -> {
                            assertThat(row.expected()).as("frauds injected").isPositive();
                            assertThat(row.sent().records()).isPositive();
                            assertThat(row.process().peakRssBytes()).isPositive();
                        });

        var recovery = results.recovery;
        assertThat(recovery.failedAtMillis()).as("failure injected").isPositive();
        assertThat(recovery.restartedAfter()).as("restart seen").isPositive();
        assertThat(recovery.process().peakRssBytes()).isPositive();

        assertThat(results.state).extracting(StateSection.Row::cards).containsExactly(100, 1_000);
        assertThat(results.state)
                .allSatisfy(
                        row -> {
                            assertThat(row.seconds()).isPositive();
                            assertThat(row.process().peakRssBytes()).isPositive();
                        });

        assertThat(results.engines.baseline().records()).isEqualTo(settings.engineEvents());
        assertThat(results.engines.rows())
                .extracting(r -> r.job().name())
                .containsExactly("fraud", "fraud-cep");
        assertThat(results.engines.rows())
                .allSatisfy(row -> assertThat(row.seconds()).isPositive());
        assertThat(results.failures).isEmpty();

        assertThat(results.profile.samples()).as("JFR samples").isPositive();
        assertThat(out.resolve("profile-fraud-p1.jfr")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("profile-summary.md"))).contains("| samples |");

        assertThat(results.charts)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "throughput.png",
                        "latency.png",
                        "recovery.png",
                        "state-scale.png",
                        "state-memory.png");
        for (Path chart : results.charts) {
            byte[] png = Files.readAllBytes(chart);
            assertThat(png)
                    .as(chart + " is a PNG")
                    .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(Files.readString(results.report))
                .contains("## Throughput", "## Latency", "## Recovery", "## State scale")
                .contains("**Headline: fraud job / baseline at parallelism 1 = ")
                .contains("![throughput.png](throughput.png)");
    }
}
