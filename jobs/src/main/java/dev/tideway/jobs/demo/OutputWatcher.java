package dev.tideway.jobs.demo;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.model.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the demo's jobs commit, the way a downstream consumer sees it: a read_committed
 * consumer on the input, alert and dead-letter topics, from where they ended when the demo began.
 */
final class OutputWatcher implements Runnable, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String transactions;
    private final String alerts;
    private final String deadLetters;
    private final AlertCodec alertCodec = new AlertCodec();
    private volatile boolean running = true;

    final AtomicLong transactionCount = new AtomicLong();
    final AtomicLong alertCount = new AtomicLong();
    final AtomicLong deadLetterCount = new AtomicLong();
    final Map<String, AtomicLong> alertsByRule = new ConcurrentSkipListMap<>();
    final List<Alert> firstAlerts = java.util.Collections.synchronizedList(new ArrayList<>());

    OutputWatcher(String bootstrapServers, String transactions, String alerts, String deadLetters) {
        this.transactions = transactions;
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024));
        consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(transactions, alerts, deadLetters)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the starting point now, before the jobs start
    }

    @Override
    public void run() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.topic().equals(transactions)) {
                    transactionCount.incrementAndGet();
                } else if (record.topic().equals(deadLetters)) {
                    deadLetterCount.incrementAndGet();
                } else if (record.topic().equals(alerts)) {
                    alertCount.incrementAndGet();
                    DecodeResult<Alert> alert = alertCodec.decode(record.value());
                    String rule = alert.isValid() ? alert.value().rule : "(unreadable)";
                    alertsByRule.computeIfAbsent(rule, r -> new AtomicLong()).incrementAndGet();
                    if (alert.isValid() && firstAlerts.size() < 3) {
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
