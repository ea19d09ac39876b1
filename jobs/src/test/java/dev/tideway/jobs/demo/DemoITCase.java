package dev.tideway.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.connectors.files.parquet.LakeSchemas;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.testing.LakeContents;
import dev.tideway.jobs.clicks.ClickSinks;
import dev.tideway.jobs.sensors.SensorOutputs;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command with {@code --job all}, against a real broker: every generator and job
 * runs in one local Flink, and each of them publishes what the README says it does.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DemoITCase {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir Path checkpoints;
    @TempDir Path savepoints;
    @TempDir Path lake;

    @Test
    void everyJobOfTheDemoPublishes() throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("tideway.kafka.bootstrap-servers", KAFKA.bootstrapServers());
        given.put("tideway.demo.job", "ALL");
        given.put("tideway.demo.duration", "45s");
        given.put("tideway.demo.lake", lake.toString());
        given.put("tideway.demo.savepoint-dir", savepoints.toString());
        given.put("tideway.generator.rate", "1000");
        // More sensor anomalies than the default, so that 45 s surely hold some.
        given.put("tideway.generator.sensors.anomaly-ratio", "0.3");
        given.put("rest.port", "0");
        Configuration config = TestFlinkConfig.load(checkpoints);
        config.addAll(Configuration.fromMap(given));

        Demo.Outcome outcome = Demo.run(config, given);

        assertThat(outcome).as("the demo published alerts").isNotNull();
        assertThat(outcome.committed())
                .as("records committed per topic")
                .allSatisfy(
                        (topic, count) -> {
                            if (!topic.contains("late") && !topic.contains("dead-letters")) {
                                assertThat(count).as(topic).isPositive();
                            }
                        });
        assertThat(outcome.alertsByRule()).containsKey("abandoned-cart");
        assertThat(outcome.alertsByRule().keySet())
                .containsAnyOf("card-testing", "declined-burst", "impossible-travel");
        String root = lake.toUri().toString();
        assertThat(
                        LakeContents.read(root, "card_transactions", LakeSchemas.CARD_TRANSACTION)
                                .rows())
                .isNotEmpty();
        assertThat(LakeContents.read(root, "sensor_readings", LakeSchemas.SENSOR_READING).rows())
                .isNotEmpty();
        assertThat(LakeContents.read(root, "click_events", LakeSchemas.CLICK_EVENT).rows())
                .isNotEmpty();
        assertThat(
                        LakeContents.read(root, ClickSinks.SESSION_FILES, ClickSinks.SESSION_SCHEMA)
                                .rows())
                .isNotEmpty();
        assertThat(
                        LakeContents.read(
                                        root,
                                        SensorOutputs.AGGREGATES_TYPE,
                                        SensorOutputs.AGGREGATE_SCHEMA)
                                .rows())
                .isNotEmpty();
    }
}
