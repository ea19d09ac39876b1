package dev.tideway.jobs.archive;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.files.EventFileSinks;
import dev.tideway.connectors.files.LakePreflight;
import dev.tideway.connectors.files.PluginFileSystems;
import dev.tideway.connectors.files.parquet.LakeSchemas;
import dev.tideway.connectors.files.parquet.ParquetRecordSchema;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaEventSource;
import dev.tideway.connectors.time.EventTimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Every event topic into the lake, exactly once: one Parquet directory per event type, partitioned
 * by event time ({@code dt=/hour=}), compacted, with {@code _SUCCESS} in each complete partition.
 * Records the archive cannot decode, and events that arrive behind the watermark (which would land
 * in partitions already marked complete), go to {@code rejected/} with their original bytes and the
 * reason, partitioned by when they were rejected.
 */
public final class LakeArchiveJob {
    public static final String JOB_NAME = "tideway-lake-archive";

    /** One archived feed: its source and where and how it lands in the lake. */
    public record Feed<T>(
            String eventType,
            EventSource<T> source,
            ParquetRecordSchema<T> schema,
            EventCodec<T> codec) {}

    private final String lakePath;
    private final List<Feed<?>> feeds;
    private final ReadableConfig options;

    public LakeArchiveJob(String lakePath, List<Feed<?>> feeds, ReadableConfig options) {
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException(
                    "Nothing to archive: set at least one of "
                            + ArchiveOptions.TRANSACTIONS_TOPIC.key()
                            + ", "
                            + ArchiveOptions.SENSOR_READINGS_TOPIC.key()
                            + ", "
                            + ArchiveOptions.CLICKS_TOPIC.key()
                            + ", "
                            + ArchiveOptions.DEAD_LETTER_TOPIC.key());
        }
        this.lakePath = lakePath;
        this.feeds = feeds;
        this.options = options;
    }

    public void build(StreamExecutionEnvironment env) {
        List<DataStream<DeadLetter>> rejected = new ArrayList<>();
        for (Feed<?> feed : feeds) {
            rejected.add(archive(feed, env));
        }
        DataStream<DeadLetter> allRejected = rejected.get(0);
        for (DataStream<DeadLetter> more : rejected.subList(1, rejected.size())) {
            allRejected = allRejected.union(more);
        }
        allRejected
                .sinkTo(
                        EventFileSinks.parquet(
                                options,
                                lakePath,
                                "rejected",
                                LakeSchemas.DEAD_LETTER,
                                d -> d.deadLetterTime,
                                "archive-rejected"))
                .uid("archive-rejected-lake")
                .name("lake: rejected");
    }

    /** Writes one feed; returns what it rejected. */
    private <T> DataStream<DeadLetter> archive(Feed<T> feed, StreamExecutionEnvironment env) {
        DecodedStreams<T> input = feed.source().open(env);
        EventCodec<T> codec = feed.codec();
        input.events()
                .sinkTo(
                        EventFileSinks.parquet(
                                options,
                                lakePath,
                                feed.eventType(),
                                feed.schema(),
                                codec::eventTimeOf,
                                "archive-" + feed.eventType()))
                .uid("archive-" + feed.eventType() + "-lake")
                .name("lake: " + feed.eventType());
        return input.deadAndLate();
    }

    /** The job wired to Kafka and the lake path, from options. */
    public static LakeArchiveJob fromConfig(ReadableConfig config) {
        String lake = config.get(ArchiveOptions.LAKE_PATH);
        if (config.get(dev.tideway.connectors.kafka.KafkaOptions.PREFLIGHT)) {
            LakePreflight.check(lake, ArchiveOptions.LAKE_PATH.key());
        }
        var settings = EventTimeOptions.codecSettings(config);
        List<Feed<?>> feeds = new ArrayList<>();
        addFeed(
                feeds,
                config,
                ArchiveOptions.TRANSACTIONS_TOPIC,
                "card_transactions",
                LakeSchemas.CARD_TRANSACTION,
                new CardTransactionCodec(settings));
        addFeed(
                feeds,
                config,
                ArchiveOptions.SENSOR_READINGS_TOPIC,
                "sensor_readings",
                LakeSchemas.SENSOR_READING,
                new SensorReadingCodec(settings));
        addFeed(
                feeds,
                config,
                ArchiveOptions.CLICKS_TOPIC,
                "click_events",
                LakeSchemas.CLICK_EVENT,
                new ClickEventCodec(settings));
        addFeed(
                feeds,
                config,
                ArchiveOptions.DEAD_LETTER_TOPIC,
                "dead_letters",
                LakeSchemas.DEAD_LETTER,
                new DeadLetterCodec());
        return new LakeArchiveJob(lake, feeds, config);
    }

    private static <T> void addFeed(
            List<Feed<?>> feeds,
            ReadableConfig config,
            org.apache.flink.configuration.ConfigOption<String> topicOption,
            String eventType,
            ParquetRecordSchema<T> schema,
            EventCodec<T> codec) {
        String topic = config.get(topicOption);
        if (topic != null && !topic.isBlank()) {
            feeds.add(kafkaFeed(config, topic, eventType, schema, codec));
        }
    }

    /** A topic archived as {@code eventType/} in the lake. */
    public static <T> Feed<T> kafkaFeed(
            ReadableConfig config,
            String topic,
            String eventType,
            ParquetRecordSchema<T> schema,
            EventCodec<T> codec) {
        EventSource<T> source =
                KafkaEventSource.builder(codec)
                        .options(config)
                        .topic(topic)
                        .groupId(config.get(ArchiveOptions.GROUP_ID))
                        .uid("archive-" + eventType)
                        .build();
        return new Feed<>(eventType, source, schema, codec);
    }

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, ArchiveOptions.all());
        StreamExecutionEnvironment env = JobConfig.environment(args, config);
        if (env instanceof LocalStreamEnvironment) {
            // A cluster loads file-system plugins itself; a local run must do it here.
            Path plugins = Path.of(config.get(ArchiveOptions.PLUGINS_DIR));
            if (Files.isDirectory(plugins)) {
                PluginFileSystems.initialize(plugins, config);
            }
        }
        fromConfig(config).build(env);
        env.execute(JOB_NAME);
    }
}
