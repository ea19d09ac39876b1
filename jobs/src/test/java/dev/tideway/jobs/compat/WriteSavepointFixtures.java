package dev.tideway.jobs.compat;

import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Writes the savepoint fixtures of the stateful jobs (fraud, generator) into
 * src/test/resources/savepoints. Run it only when a state change is intended and documented (see
 * README, "Upgrading state"):
 *
 * <pre>mvn install -DskipTests && mvn -pl jobs exec:exec</pre>
 */
public final class WriteSavepointFixtures {

    public static void main(String[] args) throws Exception {
        KafkaBroker kafka = new KafkaBroker();
        kafka.start();
        try {
            writeGeneratorSavepoint(kafka);
            kafka.createTopic(FraudSavepointScenario.TOPIC, 1);
            kafka.createTopic(FraudSavepointScenario.ALERTS, 1);
            kafka.createTopic(FraudSavepointScenario.DEAD_LETTERS, 1);
            kafka.produce(FraudSavepointScenario.beforeSavepoint());

            Path work = Files.createTempDirectory("tideway-savepoint");
            Configuration config = TestFlinkConfig.load(work.resolve("checkpoints"));
            config.addAll(FraudSavepointScenario.jobOptions(kafka.bootstrapServers()));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            FraudDetectionJob.fromConfig(config, env).build(env);
            JobClient job = env.executeAsync("fraud savepoint fixture");

            waitUntilConsumed(kafka, FraudSavepointScenario.beforeSavepoint().size());
            stopAndStore(job, work, FraudSavepointScenario.SAVEPOINT);
        } finally {
            kafka.stop();
        }
        System.exit(0);
    }

    /** The generator, stopped part-way: its savepoint holds how far it got. */
    private static void writeGeneratorSavepoint(KafkaBroker kafka) throws Exception {
        kafka.createTopic(GeneratorSavepointScenario.TOPIC, 1);
        Path work = Files.createTempDirectory("tideway-savepoint");
        Configuration config = TestFlinkConfig.load(work.resolve("checkpoints"));
        config.addAll(GeneratorSavepointScenario.jobOptions(kafka.bootstrapServers()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        GeneratorJob.fromConfig(config, env).build(env);
        JobClient job = env.executeAsync("generator savepoint fixture");
        while (kafka.readCommitted(
                                GeneratorSavepointScenario.TOPIC, java.time.Duration.ofSeconds(30))
                        .size()
                < 100) {
            Thread.sleep(200);
        }
        stopAndStore(job, work, GeneratorSavepointScenario.SAVEPOINT);
    }

    /** Stops the job with a savepoint and puts the savepoint where the test expects it. */
    private static void stopAndStore(JobClient job, Path work, Path fixture) throws Exception {
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                work.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        replace(Path.of(java.net.URI.create(savepoint)), fixture);
        System.out.println("Wrote " + fixture.toAbsolutePath());
    }

    /** Offsets are committed on checkpoints: once all are, the records are in the job's state. */
    private static void waitUntilConsumed(KafkaBroker kafka, long records) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            for (int attempt = 0; attempt < 600; attempt++) {
                Map<?, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets("tideway-compat")
                                .partitionsToOffsetAndMetadata()
                                .get();
                long committed =
                        offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                if (committed >= records) {
                    Thread.sleep(1000); // one more checkpoint: timers and buffers settled
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(
                "the job did not consume the fixture input within 2 minutes");
    }

    private static void replace(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private WriteSavepointFixtures() {}
}
