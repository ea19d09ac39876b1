package dev.tideway.connectors.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, combined broker and controller) in this JVM, on a free port, from
 * Kafka's own artifacts. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();}</pre>
 *
 * It is stopped after the test class, also when a test fails.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    /** Large enough for dead letters that carry a rejected 1 MiB record, base64-encoded. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024 + 1024;

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public void start() throws Exception {
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        cluster =
                new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    public void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A topic name not used before in this JVM: a fresh topic per test. */
    public static String uniqueName(String prefix) {
        return prefix
                + "-"
                + TOPICS.incrementAndGet()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all()
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    /**
     * Writes the records (not in a transaction) and waits until all are acknowledged; fails if any
     * is not, instead of losing it silently.
     */
    public void produce(Collection<ProducerRecord<byte[], byte[]>> records) {
        produce(bootstrapServers(), records);
    }

    /** {@link #produce(Collection)} for any broker, such as one in its own JVM. */
    public static void produce(
            String bootstrapServers, Collection<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("max.request.size", String.valueOf(MAX_MESSAGE_BYTES));
        // One request in flight: a busy in-process broker then cannot see sequence gaps
        // (OutOfOrderSequenceException), which lost a batch once.
        props.put("max.in.flight.requests.per.connection", "1");
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(producer.send(record));
            }
            producer.flush();
            for (var ack : acks) {
                ack.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a record was not written to Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to Kafka", e);
        }
    }

    /**
     * Every committed record of the topic, as a read_committed consumer sees it: reads until the
     * consumer has passed every record written so far (the high watermarks of all partitions), so
     * that every transaction in them has been decided. Fails when one stays open past the deadline.
     *
     * <p>Not up to the last stable offsets: a producer's commit returns before the broker has
     * written the commit markers, so just after a job ends its last transaction can still hold the
     * last stable offset back, and a read up to it would miss that transaction's records.
     *
     * <p>Not for reading after a job was cancelled with output in flight: a transaction it had
     * prepared at a checkpoint but not yet committed stays open until the transaction timeout.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, Duration deadline) {
        return readCommitted(bootstrapServers(), topic, deadline);
    }

    /** {@link #readCommitted(String, Duration)} for any broker, such as one in its own JVM. */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrapServers, String topic, Duration deadline) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("max.partition.fetch.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Instant until = Instant.now().plus(deadline);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = highWatermarks(props, partitions);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(until)) {
                    throw new AssertionError(
                            "read_committed consumer of "
                                    + topic
                                    + " did not reach "
                                    + end
                                    + " within "
                                    + deadline
                                    + " (an open transaction?); read "
                                    + records.size());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The end offsets a read_uncommitted consumer sees: past every record, decided or not. */
    private static Map<TopicPartition, Long> highWatermarks(
            Properties base, List<TopicPartition> partitions) {
        Properties props = new Properties();
        props.putAll(base);
        props.put("isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
