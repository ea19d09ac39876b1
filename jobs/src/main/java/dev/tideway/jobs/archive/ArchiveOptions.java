package dev.tideway.jobs.archive;

import dev.tideway.connectors.files.FileSinkOptions;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.time.EventTimeOptions;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the lake archive. A topic option left empty means: do not archive that feed. */
public final class ArchiveOptions {

    public static final ConfigOption<String> LAKE_PATH =
            ConfigOptions.key("tideway.lake.path")
                    .stringType()
                    .defaultValue("file:///tmp/tideway/lake")
                    .withDescription(
                            "Root of the lake: file:///... or s3://bucket/prefix (s3 needs the"
                                    + " flink-s3-fs-hadoop plugin and the s3.* settings).");

    public static final ConfigOption<String> PLUGINS_DIR =
            ConfigOptions.key("tideway.lake.plugins-dir")
                    .stringType()
                    .defaultValue(".run/flink/plugins")
                    .withDescription(
                            "Run locally (not on a cluster), the archive loads file-system"
                                    + " plugins such as s3-fs-hadoop from here; a cluster uses"
                                    + " its own plugins directory.");

    public static final ConfigOption<String> TRANSACTIONS_TOPIC =
            ConfigOptions.key("tideway.archive.transactions-topic")
                    .stringType()
                    .defaultValue("transactions")
                    .withDescription("Card transactions to archive as card_transactions/.");

    public static final ConfigOption<String> SENSOR_READINGS_TOPIC =
            ConfigOptions.key("tideway.archive.sensor-readings-topic")
                    .stringType()
                    .defaultValue("sensor-readings")
                    .withDescription("Sensor readings to archive as sensor_readings/.");

    public static final ConfigOption<String> CLICKS_TOPIC =
            ConfigOptions.key("tideway.archive.clicks-topic")
                    .stringType()
                    .defaultValue("clicks")
                    .withDescription("Click events to archive as click_events/.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("tideway.archive.dead-letter-topic")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription("The jobs' dead letters, archived as dead_letters/.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("tideway.archive.group-id")
                    .stringType()
                    .defaultValue("tideway-archive")
                    .withDescription("Kafka consumer group of the archive.");

    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all =
                new java.util.ArrayList<>(
                        List.of(
                                LAKE_PATH,
                                PLUGINS_DIR,
                                TRANSACTIONS_TOPIC,
                                SENSOR_READINGS_TOPIC,
                                CLICKS_TOPIC,
                                DEAD_LETTER_TOPIC,
                                GROUP_ID));
        all.addAll(KafkaOptions.all());
        all.addAll(EventTimeOptions.all());
        all.addAll(FileSinkOptions.parquet());
        return all;
    }

    private ArchiveOptions() {}
}
