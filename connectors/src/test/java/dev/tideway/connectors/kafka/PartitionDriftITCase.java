package dev.tideway.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.testing.SampleTransactions;
import dev.tideway.connectors.time.EventTimeOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link EventTimeOptions#MAX_PARTITION_DRIFT}: a partition that runs ahead of its source's slowest
 * is paused, and a partition that has had no records yet holds nobody back (its watermark is
 * undefined until its first record; the idleness that would let it go is set far beyond the tests,
 * so a source that paused the others for it would never hand out all their records).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PartitionDriftITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** One cluster for both tests; it cancels a test's job if the test fails before closing it. */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final int BATCHES = 40;

    private static final int PER_BATCH = 10;

    @Test
    void anEmptyPartitionDoesNotHoldTheOthersBack() throws Exception {
        String topic = KafkaBroker.uniqueName("drift-empty");
        KAFKA.createTopic(topic, 3);
        try (Reading reading = new Reading(topic)) {
            List<String> written = writeWhileTheJobReads(topic, 0, 1);

            assertThat(reading.awaitAtLeast(written.size(), Duration.ofMinutes(2)))
                    .as("partitions 0 and 1 are read to the end; partition 2 stays empty")
                    .containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    void aPartitionFarAheadOfTheSlowestIsPausedUntilTheSlowestCatchesUp() throws Exception {
        String topic = KafkaBroker.uniqueName("drift-stuck");
        KAFKA.createTopic(topic, 3);
        try (Reading reading = new Reading(topic)) {
            // Partition 2's one record holds its watermark at the start, and it never goes idle.
            // Read before the others are written, so its watermark is out before theirs.
            KAFKA.produce(List.of(record(topic, 2, "stuck", START)));
            assertThat(reading.awaitAtLeast(1, Duration.ofMinutes(2))).containsExactly("stuck");
            List<String> written = writeWhileTheJobReads(topic, 0, 1);
            // Long enough for every record to be read if nothing were paused (the test above
            // reads them all within a second or two of the last write).
            List<String> read = reading.awaitAtLeast(written.size() + 1, Duration.ofSeconds(10));

            assertThat(read)
                    .as("partitions 0 and 1 are paused once they run 1 s ahead of partition 2")
                    .hasSizeLessThan(written.size() / 2);

            // Partition 2 moves past them: they are resumed and read to the end.
            KAFKA.produce(List.of(record(topic, 2, "caught-up", START + 300_000)));
            List<String> all = new ArrayList<>(written);
            all.add("stuck");
            all.add("caught-up");
            assertThat(reading.awaitAtLeast(all.size(), Duration.ofMinutes(2)))
                    .containsExactlyInAnyOrderElementsOf(all);
        }
    }

    /** Event times from an hour ago: within the codec's limits on time in the future. */
    private static final long START = System.currentTimeMillis() - Duration.ofHours(1).toMillis();

    /**
     * Writes a batch at a time while the job reads (40 batches of 5 s of event time per partition,
     * 200 s in all), so that the partitions' watermarks pass the allowed drift of 1 s many times
     * over, each time after the partitions have compared watermarks again (every 100 ms).
     *
     * @return the ids written
     */
    private static List<String> writeWhileTheJobReads(String topic, int... partitions)
            throws InterruptedException {
        List<String> written = new ArrayList<>();
        for (int batch = 0; batch < BATCHES; batch++) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int partition : partitions) {
                for (int i = 0; i < PER_BATCH; i++) {
                    int n = batch * PER_BATCH + i;
                    String id = "e-" + partition + "-" + n;
                    records.add(record(topic, partition, id, START + n * 500L));
                    written.add(id);
                }
            }
            KAFKA.produce(records);
            Thread.sleep(100);
        }
        return written;
    }

    /**
     * A job that reads the topic from its start with a drift of 1 s allowed, and an idleness far
     * beyond the test, on a thread of its own: a paused read must not hang the test. Closing it
     * cancels the job.
     */
    private static final class Reading implements AutoCloseable {
        private final List<String> read = new CopyOnWriteArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean closing;
        private final CloseableIterator<CardTransaction> events;
        private final Thread reader;

        Reading(String topic) throws Exception {
            Configuration options = new Configuration();
            options.set(KafkaOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
            options.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
            options.set(EventTimeOptions.MAX_PARTITION_DRIFT, Duration.ofSeconds(1));
            options.set(EventTimeOptions.IDLENESS, Duration.ofHours(1));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            KafkaEventSource<CardTransaction> source =
                    KafkaEventSource.builder(CODEC)
                            .options(options)
                            .topic(topic)
                            .groupId(topic)
                            .uid("drift")
                            .build();
            events = source.open(env).events().executeAndCollect();
            reader =
                    new Thread(
                            () -> {
                                try {
                                    while (events.hasNext()) {
                                        read.add(events.next().eventId);
                                    }
                                } catch (RuntimeException e) {
                                    if (!closing) {
                                        failure.set(e); // the job failed: the test says why
                                    }
                                }
                            },
                            "drift-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** What was read once {@code count} records were, or when the time is up. */
        List<String> awaitAtLeast(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                if (failure.get() != null) {
                    throw new AssertionError("the reading job failed", failure.get());
                }
                Thread.sleep(50);
            }
            return List.copyOf(read);
        }

        @Override
        public void close() throws Exception {
            closing = true;
            events.close(); // cancels the job
            reader.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private static final CardTransactionCodec CODEC = new CardTransactionCodec();

    private static ProducerRecord<byte[], byte[]> record(
            String topic, int partition, String eventId, long eventTime) {
        String card = "card-" + partition;
        CardTransaction t = SampleTransactions.approved(eventId, card, eventTime);
        return new ProducerRecord<>(
                topic, partition, card.getBytes(StandardCharsets.UTF_8), CODEC.encode(t));
    }
}
