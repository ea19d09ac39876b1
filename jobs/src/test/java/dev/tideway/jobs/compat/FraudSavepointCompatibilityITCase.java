package dev.tideway.jobs.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.testing.JobClients;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fraud job of this build must restore the savepoint stored in test resources, taken by the
 * released version, with no state left unclaimed: a changed uid or an incompatible change to a
 * state type fails this test with what broke. And the restored state must work: alerts complete
 * with evidence that only the savepoint remembers.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class FraudSavepointCompatibilityITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path checkpoints;

    @Test
    void restoresTheStoredSavepointAndItsStateCompletesAlerts() throws Exception {
        Path savepoint = FraudSavepointScenario.SAVEPOINT.toAbsolutePath();
        assertThat(savepoint.resolve("_metadata")).exists();
        KAFKA.createTopic(FraudSavepointScenario.TOPIC, 1);
        KAFKA.createTopic(FraudSavepointScenario.ALERTS, 1);
        KAFKA.createTopic(FraudSavepointScenario.DEAD_LETTERS, 1);
        // The same offsets as when the savepoint was taken: the source resumes at offset 5.
        KAFKA.produce(FraudSavepointScenario.beforeSavepoint());
        KAFKA.produce(FraudSavepointScenario.afterRestore());

        Configuration config = TestFlinkConfig.load(checkpoints);
        config.addAll(FraudSavepointScenario.jobOptions(KAFKA.bootstrapServers()));
        // Unbounded, as when the savepoint was taken: a restored Kafka split keeps the stopping
        // offset it was created with, so the job runs until the alerts are in, then is cancelled.
        TestFlinkConfig.restoringFrom(config, savepoint);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        FraudDetectionJob.fromConfig(config, env).build(env);

        JobClient job = env.executeAsync("restore fraud savepoint");
        AlertCodec codec = new AlertCodec();
        try {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (KAFKA.readCommitted(FraudSavepointScenario.ALERTS, Duration.ofSeconds(30)).size()
                            < 3
                    && Instant.now().isBefore(deadline)) {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    job.getJobExecutionResult().get(); // throws the job's failure
                }
                Thread.sleep(200);
            }
        } catch (ExecutionException e) {
            throw new AssertionError(
                    "This build cannot restore the fraud job's savepoint in "
                            + FraudSavepointScenario.SAVEPOINT
                            + ", so users could not upgrade a running job. A uid was changed or"
                            + " removed, or a state type changed incompatibly. What broke: "
                            + ExceptionUtils.stringifyException(rootCause(e)),
                    e);
        } finally {
            JobClients.cancelAndAwaitEnd(job);
        }

        Map<String, List<String>> evidenceByRule =
                KAFKA.readCommitted(FraudSavepointScenario.ALERTS, Duration.ofSeconds(30)).stream()
                        .map(r -> codec.decode(r.value()).value())
                        .collect(Collectors.toMap(a -> a.rule, (Alert a) -> a.evidence));
        assertThat(evidenceByRule)
                .as("alerts that need the restored state")
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "declined-burst", List.of("d1", "d2", "d3"),
                                "card-testing", List.of("p1", "big"),
                                "impossible-travel", List.of("h1", "far")));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
