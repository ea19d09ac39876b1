package dev.tideway.jobs.bench;

import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.generator.TransactionScenario;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The generator's transaction scenario, written at fixed rates, one phase after the other. A
 * record's event time is the moment it was due to be sent, so that event time is creation time:
 * latency measured from it includes any delay of the producer itself (no coordinated omission).
 */
final class PacedGenerator extends Thread {
    static final String FRAUD_CARD_PREFIX = "fraud-card-";

    /**
     * @param ready null, or a warm-up that goes on past its duration until this says so (at most
     *     {@code maxWarmUp}): the measured phases must not start before the job keeps up
     */
    record Phase(
            String name, int rate, Duration duration, BooleanSupplier ready, Duration maxWarmUp) {
        Phase(String name, int rate, Duration duration) {
            this(name, rate, duration, null, Duration.ZERO);
        }

        /** Whole blocks, so that every injected fraud is sent completely. */
        long records() {
            long n = (long) (rate * (duration.toMillis() / 1000.0));
            return Math.max(1, n / TransactionScenario.BLOCK) * TransactionScenario.BLOCK;
        }
    }

    /** What a phase sent: record indexes [first, first + records), and the frauds among them. */
    record Sent(
            Phase phase, long first, long records, long frauds, long startMillis, long endMillis) {
        double rate() {
            return records * 1000.0 / Math.max(1, endMillis - startMillis);
        }

        boolean holds(long index) {
            return index >= first && index < first + records;
        }
    }

    private final String bootstrap;
    private final String topic;
    private final List<Phase> phases;
    private final int cards;
    private final double fraudRatio;
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    PacedGenerator(
            String bootstrap, String topic, List<Phase> phases, int cards, double fraudRatio) {
        super("bench-generator");
        setDaemon(true);
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.phases = phases;
        this.cards = cards;
        this.fraudRatio = fraudRatio;
    }

    List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** Waits until every phase was sent; fails if the producer failed. */
    List<Sent> await(Duration timeout) throws InterruptedException {
        join(timeout.toMillis());
        if (isAlive()) {
            throw new IllegalStateException("generator still running after " + timeout);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("generator failed", failure.get());
        }
        return sent();
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        // Send at once: batching would add its linger to every measured latency.
        props.put("linger.ms", "0");
        // One request in flight: under load, the in-process broker otherwise answers
        // OutOfOrderSequenceException and the idempotent producer retries forever (KafkaBroker).
        props.put("max.in.flight.requests.per.connection", "1");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long index = 0;
            for (Phase phase : phases) {
                index = send(producer, phase, index);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private long send(KafkaProducer<byte[], byte[]> producer, Phase phase, long first) {
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        double nanosPerRecord = 1e9 / phase.rate();
        // Event time of record i is the phase's start plus i's place in it: its due time.
        Instant start = Instant.ofEpochMilli(startMillis - (long) (first * 1000.0 / phase.rate()));
        TransactionScenario scenario =
                new TransactionScenario(
                        42,
                        0,
                        cards,
                        fraudRatio,
                        0.05,
                        Duration.ofSeconds(2),
                        0.001,
                        3,
                        start,
                        phase.rate());
        long frauds = 0;
        long lastFraudBlock = -1;
        long records = phase.records();
        long warmUpEnd = startNanos + phase.maxWarmUp().toNanos();
        // A rate the producer cannot reach on this machine (it shares the cores with the job and
        // the broker) ends the phase once it is a whole phase behind schedule: the report shows
        // the rate actually sent, instead of the run waiting for hours or failing.
        long behindLimit = Math.max(phase.duration().toNanos(), 1_000_000_000L);
        for (long i = 0; ; i++) {
            if (i > 0
                    && i % TransactionScenario.BLOCK == 0
                    && System.nanoTime() - (startNanos + (long) (i * nanosPerRecord))
                            > behindLimit) {
                records = i;
                break;
            }
            if (i >= records
                    && (phase.ready() == null
                            || i % TransactionScenario.BLOCK == 0
                                    && (phase.ready().getAsBoolean()
                                            || System.nanoTime() > warmUpEnd))) {
                records = i;
                break;
            }
            long due = startNanos + (long) (i * nanosPerRecord);
            long wait = due - System.nanoTime();
            if (wait > 100_000) {
                LockSupport.parkNanos(wait);
            }
            long index = first + i;
            GeneratedRecord r = scenario.record(index);
            if (r.key != null
                    && new String(r.key, StandardCharsets.UTF_8).startsWith(FRAUD_CARD_PREFIX)
                    && index / TransactionScenario.BLOCK != lastFraudBlock) {
                lastFraudBlock = index / TransactionScenario.BLOCK;
                frauds++;
            }
            producer.send(
                    new ProducerRecord<>(topic, r.key, r.value),
                    (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
            if (failure.get() != null) {
                throw new IllegalStateException("producer failed", failure.get());
            }
        }
        sent.add(new Sent(phase, first, records, frauds, startMillis, System.currentTimeMillis()));
        return first + records;
    }
}
