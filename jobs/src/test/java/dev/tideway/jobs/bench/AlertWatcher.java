package dev.tideway.jobs.bench;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.jobs.generator.TransactionScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the alerts topic as a read_committed consumer and notes, for each alert, when it became
 * visible here: the end of the end-to-end latency. The harness and the job's JVM share the clock.
 */
final class AlertWatcher extends Thread {

    /**
     * @param index the record index of the injected fraud (its block), to find its phase
     * @param eventTime the alert's event time: when the event that completed the pattern was made
     * @param detectedAt when the job produced the alert (its own latency notion)
     * @param visibleAt when this consumer received it
     */
    record Sample(long index, long eventTime, long detectedAt, long visibleAt) {
        long latency() {
            return visibleAt - eventTime;
        }

        long detection() {
            return detectedAt - eventTime;
        }
    }

    private final String bootstrap;
    private final String topic;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;
    private volatile long latestLatency = -1;
    private volatile Exception failure;

    AlertWatcher(String bootstrap, String topic) {
        super("bench-alert-watcher");
        setDaemon(true);
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The latency of the alert seen last, or -1 before the first. */
    long latestLatency() {
        return latestLatency;
    }

    int count() {
        return samples.size();
    }

    /** Polls until the watcher saw {@code expected} alerts or the deadline passed. */
    void awaitCount(long expected, Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        while (count() < expected && System.nanoTime() < until && failure == null) {
            Thread.sleep(50);
        }
    }

    void shutdown() throws InterruptedException {
        stopped = true;
        join(10_000);
        if (failure != null) {
            throw new IllegalStateException("alert watcher failed", failure);
        }
    }

    @Override
    public void run() {
        AlertCodec codec = new AlertCodec();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "isolation.level",
                                "read_committed",
                                "enable.auto.commit",
                                "false",
                                // Answer as soon as anything is visible, not after 500 ms.
                                "fetch.max.wait.ms",
                                "10"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            var partitions = BenchKafka.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopped) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    var decoded = codec.decode(record.value());
                    if (!decoded.isValid()) {
                        continue;
                    }
                    Alert alert = decoded.value();
                    samples.add(
                            new Sample(indexOf(alert.key), alert.eventTime, alert.detectedAt, now));
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Injected frauds are on cards named after their block: fraud-card-{block}. */
    private static long indexOf(String key) {
        if (key == null || !key.startsWith(PacedGenerator.FRAUD_CARD_PREFIX)) {
            return -1;
        }
        return Long.parseLong(key.substring(PacedGenerator.FRAUD_CARD_PREFIX.length()))
                * TransactionScenario.BLOCK;
    }
}
