package dev.tideway.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.connectors.testing.KafkaBroker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps the benchmark harness working: a small run must produce a figure for every row. It never
 * asserts the values; speed is for scripts/bench to print.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ThroughputBenchITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @Test
    void quickRunProducesAFigureForEveryRow() throws Exception {
        List<ThroughputBench.Row> rows = ThroughputBench.run(KAFKA.bootstrapServers(), 20_000);

        assertThat(rows).extracting(ThroughputBench.Row::parallelism).containsExactly(1, 1, 2);
        assertThat(rows)
                .allSatisfy(
                        row -> {
                            assertThat(row.events()).isEqualTo(20_000);
                            assertThat(row.seconds()).isPositive();
                        });
        assertThat(ThroughputBench.table(rows, 20_000))
                .contains("| what | parallelism | events/s")
                .contains("(baseline) | 1 |")
                .contains("100.0 %");
    }
}
