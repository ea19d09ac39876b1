package dev.tideway.jobs.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/** The project's flink-conf/config.yaml, with what tests must change. */
public final class TestFlinkConfig {
    private TestFlinkConfig() {}

    /**
     * @param checkpoints where checkpoints go (a test's temp dir)
     */
    public static Configuration load(Path checkpoints) {
        Path dir = Path.of("..", "flink-conf");
        if (!Files.isRegularFile(dir.resolve("config.yaml"))) {
            throw new IllegalStateException(
                    "flink-conf/config.yaml not found from " + Path.of("").toAbsolutePath());
        }
        Configuration config = GlobalConfiguration.loadConfiguration(dir.toString());
        // Short checkpoints: a bounded test run ends in seconds.
        config.setString("execution.checkpointing.interval", "300ms");
        config.setString("execution.checkpointing.min-pause", "100ms");
        config.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        // Bounded restarts: a test that keeps failing must fail, not wait forever for slots.
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "3");
        config.setString("restart-strategy.fixed-delay.delay", "200ms");
        config.setString("parallelism.default", "2");
        config.removeKey("rest.port");
        return config;
    }

    /**
     * Makes the job start from the savepoint, with no state in it allowed to go unclaimed (a
     * changed or removed uid fails the restore) and no restarts (a failed restore fails the job).
     */
    public static Configuration restoringFrom(Configuration config, Path savepoint) {
        config.setString(
                "execution.state-recovery.path", savepoint.toAbsolutePath().toUri().toString());
        config.setString("execution.state-recovery.ignore-unclaimed-state", "false");
        config.setString("restart-strategy.type", "none");
        return config;
    }
}
