package dev.tideway.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.common.model.SensorReading;
import dev.tideway.connectors.files.EventTimePartitions;
import dev.tideway.connectors.files.PluginFileSystems;
import dev.tideway.connectors.files.parquet.LakeSchemas;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.testing.LakeContents;
import dev.tideway.connectors.testing.S3Server;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.testing.FailOnceAfterCheckpoint;
import dev.tideway.jobs.testing.JobClients;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Kafka → LakeArchiveJob in a MiniCluster (parallelism 2, exactly-once checkpoints) → Parquet
 * on file:// and on s3:// (a real S3 API, s3proxy); read back with a Parquet reader.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LakeArchiveITCase {
    private static final int TRANSACTIONS = 2_400;
    private static final int READINGS = 1_800;
    private static final int CLICKS = 1_200;
    private static final int DEAD_LETTERS = 60;
    private static final int MALFORMED = 25;

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension static final S3Server S3 = new S3Server();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path checkpoints;
    @TempDir Path localLake;
    private Configuration config;
    private Generated generated;

    @BeforeAll
    static void loadTheS3Plugin() {
        PluginFileSystems.initialize(Path.of("target", "plugins"), S3.flinkConfig());
    }

    @BeforeEach
    void topicsAndData() {
        config = TestFlinkConfig.load(checkpoints);
        String suffix = KafkaBroker.uniqueName("");
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "archive" + suffix);
        config.set(EventTimeOptions.IDLENESS, Duration.ofSeconds(1));
        config.set(ArchiveOptions.TRANSACTIONS_TOPIC, "transactions" + suffix);
        config.set(ArchiveOptions.SENSOR_READINGS_TOPIC, "readings" + suffix);
        config.set(ArchiveOptions.CLICKS_TOPIC, "clicks" + suffix);
        config.set(ArchiveOptions.DEAD_LETTER_TOPIC, "dead-letters" + suffix);
        config.set(ArchiveOptions.GROUP_ID, "archive" + suffix);
        config.setString("tideway.files.compaction.checkpoints", "3");
        for (var topic :
                List.of(
                        ArchiveOptions.TRANSACTIONS_TOPIC,
                        ArchiveOptions.SENSOR_READINGS_TOPIC,
                        ArchiveOptions.CLICKS_TOPIC,
                        ArchiveOptions.DEAD_LETTER_TOPIC)) {
            KAFKA.createTopic(config.get(topic), 2);
        }
        generated = Generated.endingAt(lastEventTime());
        FailOnceAfterCheckpoint.FAILED.set(false);
    }

    @Test
    void everyEventExactlyOnceOnLocalFilesAfterAFailure() throws Exception {
        archiveWithAFailureMidStream(localLake.toUri().toString());
    }

    @Test
    void everyEventExactlyOnceOnS3AfterAFailure() throws Exception {
        archiveWithAFailureMidStream(
                "s3://" + S3Server.BUCKET + "/" + KafkaBroker.uniqueName("lake"));
    }

    /**
     * The first half of every feed, a failure once a checkpoint has completed, then the second
     * half: the stream goes on after the restart, as in production. (Flink does not checkpoint
     * watermarks: a restored source that reads nothing new emits none, so partitions would wait for
     * new data to be marked.)
     */
    private void archiveWithAFailureMidStream(String lake) throws Exception {
        KAFKA.produce(generated.records(config, 0, 2));
        JobClient job = startArchive(lake, true);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(FailOnceAfterCheckpoint.FAILED::get);
            KAFKA.produce(generated.records(config, 1, 2));
            awaitEverythingArchived(lake);
        } finally {
            JobClients.cancelAndAwaitEnd(job);
        }
        assertExactlyOnceAndMarkedWhenComplete(lake);
    }

    @Test
    void anS3OutageMidRunLosesAndDuplicatesNothing() throws Exception {
        String lake = "s3://" + S3Server.BUCKET + "/" + KafkaBroker.uniqueName("lake");
        // Outages fail checkpoints and restores until the server is back: allow many restarts.
        config.setString("restart-strategy.fixed-delay.attempts", "1000");
        config.setString("restart-strategy.fixed-delay.delay", "1s");
        KAFKA.produce(generated.records(config, 0, 2));
        JobClient job = startArchive(lake, false);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> transactions(lake).rows().size() > 0);

            S3.stop();
            KAFKA.produce(generated.records(config, 1, 2));
            // The outage lasts a fixed time (a scenario, not a wait for results).
            Thread.sleep(6_000);
            S3.start();

            awaitEverythingArchived(lake);
        } finally {
            S3.start();
            JobClients.cancelAndAwaitEnd(job);
        }
        assertExactlyOnceAndMarkedWhenComplete(lake);
    }

    private JobClient startArchive(String lake, boolean injectFailure) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        var settings = EventTimeOptions.codecSettings(config);
        LakeArchiveJob.Feed<CardTransaction> transactions =
                LakeArchiveJob.kafkaFeed(
                        config,
                        config.get(ArchiveOptions.TRANSACTIONS_TOPIC),
                        "card_transactions",
                        LakeSchemas.CARD_TRANSACTION,
                        new CardTransactionCodec(settings));
        if (injectFailure) {
            EventSource<CardTransaction> real = transactions.source();
            EventSource<CardTransaction> failing =
                    e -> {
                        var streams = real.open(e);
                        return streams.withEvents(
                                streams.events()
                                        .map(
                                                new FailOnceAfterCheckpoint<CardTransaction>(
                                                        TRANSACTIONS / 8))
                                        .returns(Types.POJO(CardTransaction.class))
                                        .uid("test-fail-once")
                                        .name("fail once"));
                    };
            transactions =
                    new LakeArchiveJob.Feed<>(
                            transactions.eventType(),
                            failing,
                            transactions.schema(),
                            transactions.codec());
        }
        new LakeArchiveJob(
                        lake,
                        List.of(
                                transactions,
                                LakeArchiveJob.kafkaFeed(
                                        config,
                                        config.get(ArchiveOptions.SENSOR_READINGS_TOPIC),
                                        "sensor_readings",
                                        LakeSchemas.SENSOR_READING,
                                        new SensorReadingCodec(settings)),
                                LakeArchiveJob.kafkaFeed(
                                        config,
                                        config.get(ArchiveOptions.CLICKS_TOPIC),
                                        "click_events",
                                        LakeSchemas.CLICK_EVENT,
                                        new ClickEventCodec(settings)),
                                LakeArchiveJob.kafkaFeed(
                                        config,
                                        config.get(ArchiveOptions.DEAD_LETTER_TOPIC),
                                        "dead_letters",
                                        LakeSchemas.DEAD_LETTER,
                                        new DeadLetterCodec())),
                        config)
                .build(env);
        return env.executeAsync("lake archive");
    }

    /** Until every row is visible and every complete partition is marked. */
    private void awaitEverythingArchived(String lake) throws Exception {
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> progress(lake).equals(expectedProgress()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "lake incomplete: " + progress(lake) + ", expected " + expectedProgress(), e);
        }
    }

    /** Rows per directory, and marked partitions per event type. */
    private String progress(String lake) throws Exception {
        var transactions = transactions(lake);
        var readings = readings(lake);
        var clicks = clicks(lake);
        return String.format(
                "rows: transactions=%d readings=%d clicks=%d deadLetters=%d rejected=%d;"
                        + " marked: %d %d %d",
                transactions.rows().size(),
                readings.rows().size(),
                clicks.rows().size(),
                deadLetters(lake).rows().size(),
                rejected(lake).rows().size(),
                transactions.marked().size(),
                readings.marked().size(),
                clicks.marked().size());
    }

    private String expectedProgress() {
        return String.format(
                "rows: transactions=%d readings=%d clicks=%d deadLetters=%d rejected=%d;"
                        + " marked: %d %d %d",
                TRANSACTIONS,
                READINGS,
                CLICKS,
                DEAD_LETTERS,
                MALFORMED,
                generated.completePartitions("card_transactions").size(),
                generated.completePartitions("sensor_readings").size(),
                generated.completePartitions("click_events").size());
    }

    private void assertExactlyOnceAndMarkedWhenComplete(String lake) throws Exception {
        var transactions = transactions(lake);
        var readings = readings(lake);
        var clicks = clicks(lake);
        var deadLetters = deadLetters(lake);
        assertThat(transactions.rows()).containsExactlyInAnyOrderElementsOf(generated.transactions);
        assertThat(readings.rows()).containsExactlyInAnyOrderElementsOf(generated.readings);
        assertThat(clicks.rows()).containsExactlyInAnyOrderElementsOf(generated.clicks);
        assertThat(deadLetters.rows())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyInAnyOrderElementsOf(generated.deadLetters);
        List<String> rejectedPayloads =
                rejected(lake).rows().stream()
                        .map(d -> new String(d.payload, StandardCharsets.UTF_8))
                        .toList();
        assertThat(rejectedPayloads).containsExactlyInAnyOrderElementsOf(generated.malformed);

        for (var type : List.of(transactions, readings, clicks)) {
            String eventType = type.filesByPartition().keySet().iterator().next().split("/")[0];
            assertThat(type.marked())
                    .as("_SUCCESS exactly in the partitions the watermark has passed")
                    .isEqualTo(generated.completePartitions(eventType));
            assertThat(type.filesByPartition().keySet())
                    .as("the newest partition holds data but is not complete")
                    .containsAll(type.marked())
                    .hasSize(type.marked().size() + 1);
        }
        System.out.printf(
                "card_transactions: %d partitions, %d files, mean %d bytes%n",
                transactions.filesByPartition().size(),
                transactions.fileCount(),
                transactions.meanFileBytes());
    }

    private LakeContents<CardTransaction> transactions(String lake) throws Exception {
        return LakeContents.read(lake, "card_transactions", LakeSchemas.CARD_TRANSACTION);
    }

    private LakeContents<SensorReading> readings(String lake) throws Exception {
        return LakeContents.read(lake, "sensor_readings", LakeSchemas.SENSOR_READING);
    }

    private LakeContents<ClickEvent> clicks(String lake) throws Exception {
        return LakeContents.read(lake, "click_events", LakeSchemas.CLICK_EVENT);
    }

    private LakeContents<DeadLetter> deadLetters(String lake) throws Exception {
        return LakeContents.read(lake, "dead_letters", LakeSchemas.DEAD_LETTER);
    }

    private LakeContents<DeadLetter> rejected(String lake) throws Exception {
        return LakeContents.read(lake, "rejected", LakeSchemas.DEAD_LETTER);
    }

    /**
     * Ten minutes ago, but at least two minutes into its hour: the newest partition then has data
     * past the watermark's reach, so it is open while the older ones are complete.
     */
    private static Instant lastEventTime() {
        Instant last = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        long intoHour = last.getEpochSecond() % 3600;
        return intoHour < 120 ? last.minusSeconds(intoHour + 60) : last;
    }

    /** Three hours of each event type, in event-time order per key, plus bad records. */
    static final class Generated {
        final List<CardTransaction> transactions = new ArrayList<>();
        final List<SensorReading> readings = new ArrayList<>();
        final List<ClickEvent> clicks = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<String> malformed = new ArrayList<>();
        final long lastEventTime;

        private Generated(long lastEventTime) {
            this.lastEventTime = lastEventTime;
        }

        static Generated endingAt(Instant last) {
            Generated g = new Generated(last.toEpochMilli());
            long span = Duration.ofHours(3).toMillis();
            long first = last.toEpochMilli() - span;
            for (int i = 0; i < TRANSACTIONS; i++) {
                g.transactions.add(
                        new CardTransaction(
                                "tx-" + i,
                                "card-" + (i % 40),
                                "acct-" + (i % 40),
                                "shop-" + (i % 7),
                                new BigDecimal("12.50").add(BigDecimal.valueOf(i % 100, 2)),
                                "EUR",
                                48.85,
                                2.35,
                                i % 9 == 0
                                        ? AuthorizationResult.DECLINED
                                        : AuthorizationResult.APPROVED,
                                first + span * i / (TRANSACTIONS - 1)));
            }
            for (int i = 0; i < READINGS; i++) {
                g.readings.add(
                        new SensorReading(
                                "r-" + i,
                                "sensor-" + (i % 12),
                                "plant-" + (i % 3),
                                "temperature",
                                20 + (i % 17) / 8.0,
                                "celsius",
                                first + span * i / (READINGS - 1)));
            }
            for (int i = 0; i < CLICKS; i++) {
                g.clicks.add(
                        new ClickEvent(
                                "c-" + i,
                                "user-" + (i % 30),
                                "session-" + (i % 30),
                                "/page/" + (i % 5),
                                ClickAction.values()[i % ClickAction.values().length],
                                first + span * i / (CLICKS - 1)));
            }
            for (int i = 0; i < DEAD_LETTERS; i++) {
                g.deadLetters.add(
                        new DeadLetter(
                                "transactions",
                                i % 4,
                                i,
                                ("card-" + i).getBytes(StandardCharsets.UTF_8),
                                ("{\"broken\": " + i).getBytes(StandardCharsets.UTF_8),
                                "not valid JSON",
                                first + span * i / (DEAD_LETTERS - 1)));
            }
            for (int i = 0; i < MALFORMED; i++) {
                g.malformed.add("{\"eventId\": \"bad-" + i + "\",");
            }
            return g;
        }

        /**
         * Kafka records of part {@code part} of {@code parts}: each list split in order, so each
         * key's events stay in time order across parts.
         */
        List<ProducerRecord<byte[], byte[]>> records(Configuration config, int part, int parts) {
            List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
            String transactionsTopic = config.get(ArchiveOptions.TRANSACTIONS_TOPIC);
            add(
                    out,
                    transactionsTopic,
                    slice(transactions, part, parts),
                    new CardTransactionCodec());
            if (part == 0) {
                for (String bad : malformed) {
                    out.add(
                            record(
                                    transactionsTopic,
                                    "card-0",
                                    bad.getBytes(StandardCharsets.UTF_8)));
                }
            }
            add(
                    out,
                    config.get(ArchiveOptions.SENSOR_READINGS_TOPIC),
                    slice(readings, part, parts),
                    new SensorReadingCodec());
            add(
                    out,
                    config.get(ArchiveOptions.CLICKS_TOPIC),
                    slice(clicks, part, parts),
                    new ClickEventCodec());
            add(
                    out,
                    config.get(ArchiveOptions.DEAD_LETTER_TOPIC),
                    slice(deadLetters, part, parts),
                    new DeadLetterCodec());
            return out;
        }

        /** Each event as its producers write it: keyed by the codec's partition key. */
        private static <T> void add(
                List<ProducerRecord<byte[], byte[]>> out,
                String topic,
                List<T> events,
                dev.tideway.common.codec.EventCodec<T> codec) {
            for (T event : events) {
                out.add(record(topic, codec.partitionKeyOf(event), codec.encode(event)));
            }
        }

        private static <T> List<T> slice(List<T> all, int part, int parts) {
            return all.subList(all.size() * part / parts, all.size() * (part + 1) / parts);
        }

        private static ProducerRecord<byte[], byte[]> record(
                String topic, String key, byte[] value) {
            return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
        }

        /**
         * The hourly partitions of an event type that end at or before the watermark the data
         * produces (the newest event time minus the allowed out-of-orderness): complete ones.
         */
        Set<String> completePartitions(String eventType) {
            long watermark = lastEventTime - Duration.ofSeconds(5).toMillis();
            Set<String> complete = new TreeSet<>();
            long first = lastEventTime - Duration.ofHours(3).toMillis();
            for (long t = first; t <= lastEventTime; t += Duration.ofMinutes(10).toMillis()) {
                String partition = EventTimePartitions.partitionOf(eventType, t);
                if (EventTimePartitions.partitionEnd(partition) <= watermark) {
                    complete.add(partition);
                }
            }
            return complete;
        }
    }
}
