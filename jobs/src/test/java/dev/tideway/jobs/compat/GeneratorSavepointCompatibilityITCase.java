package dev.tideway.jobs.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator of this build must resume the stored savepoint: it continues from the record where
 * the released version stopped, instead of starting over or failing.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class GeneratorSavepointCompatibilityITCase {

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
    void resumesWhereTheSavepointStopped() throws Exception {
        KAFKA.createTopic(GeneratorSavepointScenario.TOPIC, 1);
        Configuration config = TestFlinkConfig.load(checkpoints);
        config.addAll(GeneratorSavepointScenario.jobOptions(KAFKA.bootstrapServers()));
        config.set(GeneratorOptions.RATE, 0.0); // the rest as fast as possible
        TestFlinkConfig.restoringFrom(config, GeneratorSavepointScenario.SAVEPOINT);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        GeneratorJob.fromConfig(config, env).build(env);

        try {
            env.execute("restore generator savepoint");
        } catch (Exception e) {
            throw new AssertionError(
                    "This build cannot restore the generator's savepoint in "
                            + GeneratorSavepointScenario.SAVEPOINT
                            + ": a uid was changed or removed, or a state type changed"
                            + " incompatibly. What broke: "
                            + ExceptionUtils.stringifyException(
                                    ExceptionUtils.findThrowable(e, t -> t.getCause() == null)
                                            .orElse(e)),
                    e);
        }

        CardTransactionCodec codec = new CardTransactionCodec();
        List<Long> indexes =
                KAFKA
                        .readCommitted(GeneratorSavepointScenario.TOPIC, Duration.ofSeconds(30))
                        .stream()
                        .map(
                                r ->
                                        Long.parseLong(
                                                codec.decode(r.value())
                                                        .value()
                                                        .eventId
                                                        .substring(3)))
                        .toList();
        long first = indexes.get(0);
        assertThat(first)
                .as("continues after the records written before the savepoint")
                .isGreaterThanOrEqualTo(100);
        assertThat(indexes)
                .as("every remaining record once, in order")
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(first, GeneratorSavepointScenario.COUNT)
                                .boxed()
                                .toList());
    }
}
