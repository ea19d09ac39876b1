package dev.tideway.jobs.compat;

import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.jobs.generator.GeneratorOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The generator's stored savepoint: taken after it wrote at least 100 of 1,000 records. */
final class GeneratorSavepointScenario {
    static final Path SAVEPOINT = Path.of("src", "test", "resources", "savepoints", "generator");
    static final String TOPIC = "compat-generated";
    static final long COUNT = 1_000;

    private GeneratorSavepointScenario() {}

    static Configuration jobOptions(String bootstrapServers) {
        Configuration options = new Configuration();
        options.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        // At-least-once here: an exactly-once savepoint holds the open transaction of its last
        // checkpoint, which only the broker that began it can commit; the test's broker is new.
        // Uids and state types, what this fixture guards, are the same for both guarantees.
        options.set(KafkaOptions.DELIVERY, KafkaOptions.Delivery.AT_LEAST_ONCE);
        options.set(GeneratorOptions.TOPIC, TOPIC);
        options.set(GeneratorOptions.COUNT, COUNT);
        options.set(GeneratorOptions.RATE, 200.0);
        options.set(GeneratorOptions.MALFORMED_RATIO, 0.0);
        options.set(GeneratorOptions.START_TIME_AGO, Duration.ofHours(1));
        return options;
    }
}
