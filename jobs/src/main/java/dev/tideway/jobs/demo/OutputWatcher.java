package dev.tideway.jobs.demo;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.model.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the demo's jobs commit, the way a downstream consumer sees it: a read_committed
 * consumer on every topic the demo writes, from where they ended when the demo began. Alerts are
 * also counted by rule, and the first few kept as examples.
 */
final class OutputWatcher implements Runnable, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> alertTopics;
    private final AlertCodec alertCodec = new AlertCodec();
    private volatile boolean running = true;

    /** Records per topic, in the order the topics were given. */
    final Map<String, AtomicLong> counts = new LinkedHashMap<>();

    final Map<String, AtomicLong> alertsByRule = new ConcurrentSkipListMap<>();
    final List<Alert> firstAlerts = java.util.Collections.synchronizedList(new ArrayList<>());

    OutputWatcher(String bootstrapServers, Collection<String> topics, Set<String> alertTopics) {
        this.alertTopics = alertTopics;
        topics.forEach(t -> counts.put(t, new AtomicLong()));
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024));
        consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : counts.keySet()) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the starting point now, before the jobs start
    }

    long count(String topic) {
        AtomicLong count = counts.get(topic);
        return count == null ? 0 : count.get();
    }

    long alertCount() {
        return alertTopics.stream().mapToLong(this::count).sum();
    }

    @Override
    public void run() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                counts.get(record.topic()).incrementAndGet();
                if (alertTopics.contains(record.topic())) {
                    DecodeResult<Alert> alert = alertCodec.decode(record.value());
                    String rule = alert.isValid() ? alert.value().rule : "(unreadable)";
                    alertsByRule.computeIfAbsent(rule, r -> new AtomicLong()).incrementAndGet();
                    if (alert.isValid() && firstAlerts.size() < 4) {
                        firstAlerts.add(alert.value());
                    }
                }
            }
        }
        consumer.close();
    }

    @Override
    public void close() {
        running = false;
    }
}
