package dev.tideway.jobs.bench;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import dev.tideway.jobs.generator.Scenario;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The broker side of a bench run: topics, preloading generated feeds, and the baseline. */
final class BenchKafka {
    /** Input topics: as many partitions as the jobs' highest parallelism times two. */
    static final int INPUT_PARTITIONS = 4;

    /** Event time per record of preloaded feeds: 1 ms, so 5M records span 83 minutes. */
    static final double EVENT_TIME_RATE = 1000;

    private final String bootstrap;

    BenchKafka(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    String bootstrap() {
        return bootstrap;
    }

    /** Fresh topics that keep their records (no retention: event times may lie hours back). */
    void createTopics(int partitions, Collection<String> names) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            names.stream()
                                    .map(
                                            n ->
                                                    new NewTopic(n, partitions, (short) 1)
                                                            .configs(
                                                                    Map.of(
                                                                            "retention.ms",
                                                                            "-1",
                                                                            "max.message.bytes",
                                                                            ""
                                                                                    + KafkaBroker
                                                                                            .MAX_MESSAGE_BYTES)))
                                    .toList())
                    .all()
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + names, e);
        }
    }

    /**
     * The generator's scenario of a feed, with its defaults except the count, the number of cards
     * (transactions) and event times that end about now.
     */
    static Scenario scenario(Feed feed, long count, int cards) {
        Configuration config = new Configuration();
        config.set(GeneratorOptions.FEED, feed);
        config.set(GeneratorOptions.COUNT, count);
        config.set(GeneratorOptions.CARDS, cards);
        config.set(GeneratorOptions.RATE, EVENT_TIME_RATE);
        config.set(
                GeneratorOptions.START_TIME_AGO,
                Duration.ofMillis((long) (count * 1000 / EVENT_TIME_RATE))
                        .plus(Duration.ofMinutes(10)));
        return GeneratorJob.scenario(config);
    }

    static EventCodec<?> codec(Feed feed) {
        return switch (feed) {
            case TRANSACTIONS -> new CardTransactionCodec();
            case SENSORS -> new SensorReadingCodec();
            case CLICKS -> new ClickEventCodec();
        };
    }

    /** Writes records 0..count-1 of the scenario as fast as the broker takes them. */
    void preload(String topic, Scenario scenario, long count) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("linger.ms", "20");
        props.put("batch.size", "262144");
        props.put("compression.type", "lz4");
        // One request in flight: under load, the in-process broker otherwise answers
        // OutOfOrderSequenceException and the idempotent producer retries forever (KafkaBroker).
        props.put("max.in.flight.requests.per.connection", "1");
        props.put("max.request.size", String.valueOf(KafkaBroker.MAX_MESSAGE_BYTES));
        AtomicReference<Exception> failure = new AtomicReference<>();
        Progress progress = Progress.every(Duration.ofSeconds(10));
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                GeneratedRecord r = scenario.record(i);
                producer.send(
                        new ProducerRecord<>(topic, r.key, r.value),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (progress.due()) {
                    Progress.say(
                            "  preloading %s: %,d of %,d (%,.0f/s)",
                            topic, i, count, i / ((System.nanoTime() - start) / 1e9));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + topic + " failed", failure.get());
        }
        Progress.say(
                "  preloaded %s: %,d records in %.1f s",
                topic, count, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The baseline: how fast one thread reads and decodes the topic, without Flink.
     *
     * @param sustainedPerSecond the rate over the middle 80 % of the topic, measured as for a job
     *     ({@link ReadProgress}); 0 for a topic too small to tell
     */
    record Baseline(
            String topic, long records, long valid, double seconds, long sustainedPerSecond) {
        double perSecond() {
            return records / seconds;
        }
    }

    /** Polls and decodes every record of the topic on this thread, as read_committed. */
    Baseline baseline(String topic, EventCodec<?> codec) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("max.partition.fetch.bytes", String.valueOf(KafkaBroker.MAX_MESSAGE_BYTES));
        long records = 0;
        long valid = 0;
        long start;
        ReadProgress progress = new ReadProgress();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            start = System.nanoTime();
            while (records < total) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (codec.decode(record.value()).isValid()) {
                        valid++;
                    }
                    records++;
                }
                progress.sample((System.nanoTime() - start) / 1_000_000, records);
            }
        }
        return new Baseline(
                topic,
                records,
                valid,
                (System.nanoTime() - start) / 1e9,
                progress.sustainedPerSecond());
    }

    /** Records of all partitions of the topic. */
    long count(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** Offsets the group committed (Flink commits them on checkpoints): a job's progress. */
    long committed(String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream()
                    .filter(java.util.Objects::nonNull)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        } catch (Exception e) {
            return 0;
        }
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("max.partition.fetch.bytes", KafkaBroker.MAX_MESSAGE_BYTES);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }
}
