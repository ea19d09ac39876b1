package dev.tideway.jobs.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.generator.InjectedFraud;
import dev.tideway.jobs.generator.TransactionScenario;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every job under faults, in one run each: three failures at seeded points, a Kafka broker restart
 * mid-run, and a slow stage that keeps the job under backpressure. Afterwards the output must be
 * exactly what the seeded input implies. Replay a failing seed with -Dtideway.chaos.seed=N.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ChaosITCase {
    private static final int RECORDS = 30_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private KafkaBrokerProcess kafka;

    @AfterEach
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void fraudJobExactlyOnceThroughFailuresABrokerRestartAndBackpressure() throws Exception {
        long seed = Long.getLong("tideway.chaos.seed", 20261122L);
        System.out.println(
                "[chaos] seed " + seed + " (replay with -Dtideway.chaos.seed=" + seed + ")");
        long brokerRestartAt = armChaos(new SplittableRandom(seed));
        String transactions = "transactions", alerts = "alerts", deadLetters = "dead-letters";
        Configuration config =
                startBroker(
                        "chaos-" + seed,
                        new NewTopic(transactions, 4, (short) 1),
                        new NewTopic(alerts, 2, (short) 1),
                        new NewTopic(deadLetters, 2, (short) 1));
        TransactionScenario scenario =
                new TransactionScenario(
                        seed,
                        RECORDS,
                        500,
                        0.05,
                        0.2,
                        Duration.ofSeconds(2),
                        0.01,
                        3,
                        Instant.now().minus(Duration.ofHours(1)),
                        0);
        produce(scenario, transactions);

        config.set(KafkaOptions.BOUNDED, true);
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(FraudOptions.TRANSACTIONS_TOPIC, transactions);
        config.set(FraudOptions.ALERTS_TOPIC, alerts);
        config.set(FraudOptions.DEAD_LETTER_TOPIC, deadLetters);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        EventSource<CardTransaction> chaotic = chaotic(FraudDetectionJob.transactionSource(config));
        FraudDetectionJob.withSource(chaotic, config, env).build(env);

        boolean brokerRestarted =
                runWithBrokerRestart(env.executeAsync("fraud under chaos"), brokerRestartAt);

        List<InjectedFraud> expected = scenario.injectedFrauds(RECORDS);
        AlertCodec alertCodec = new AlertCodec();
        List<InjectedFraud> alerted =
                readCommitted(alerts).stream()
                        .map(r -> alertCodec.decode(r.value()).value())
                        .map(a -> new InjectedFraud(a.rule, a.key, a.evidence))
                        .toList();
        DeadLetterCodec deadLetterCodec = new DeadLetterCodec();
        List<String> origins =
                readCommitted(deadLetters).stream()
                        .map(r -> deadLetterCodec.decode(r.value()).value())
                        .map(d -> d.sourcePartition + "@" + d.sourceOffset)
                        .toList();
        long duplicates =
                (alerted.size() - alerted.stream().distinct().count())
                        + (origins.size() - origins.stream().distinct().count());
        long missing = expected.stream().filter(f -> !alerted.contains(f)).count();
        System.out.printf(
                "[chaos] faults: %d failures, broker restart %s, backpressure; records in %d; alerts %d of %d expected;"
                        + " dead letters %d of %d expected; duplicates %d; missing %d%n",
                ChaosStage.FAILURES.get(),
                brokerRestarted ? "yes" : "no",
                RECORDS,
                alerted.size(),
                expected.size(),
                origins.size(),
                scenario.malformedCount(RECORDS),
                duplicates,
                missing);

        assertThat(ChaosStage.FAILURES.get()).as("injected failures").isEqualTo(3);
        assertThat(brokerRestarted).isTrue();
        assertThat(alerted).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(origins).doesNotHaveDuplicates().hasSize((int) scenario.malformedCount(RECORDS));
    }

    @Test
    void generatorExactlyOnceThroughFailuresABrokerRestartAndBackpressure() throws Exception {
        long seed = Long.getLong("tideway.chaos.seed", 20261122L);
        System.out.println("[chaos] generator, seed " + seed);
        long brokerRestartAt = armChaos(new SplittableRandom(seed + 1));
        Configuration config =
                startBroker("chaos-generator-" + seed, new NewTopic("generated", 4, (short) 1));
        config.set(GeneratorOptions.TOPIC, "generated");
        config.set(GeneratorOptions.COUNT, (long) RECORDS);
        config.set(GeneratorOptions.RATE, 0.0);
        config.set(GeneratorOptions.SEED, seed);
        config.set(GeneratorOptions.MALFORMED_RATIO, 0.0);
        config.set(GeneratorOptions.START_TIME_AGO, Duration.ofHours(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        var sink = GeneratorJob.kafkaSink(config, env);
        GeneratorJob generator =
                new GeneratorJob(
                        GeneratorOptions.Feed.TRANSACTIONS,
                        GeneratorJob.transactionScenario(config),
                        RECORDS,
                        0,
                        sink);
        generator
                .records(env)
                .map(new ChaosStage<GeneratedRecord>(2))
                .returns(Types.POJO(GeneratedRecord.class))
                .setParallelism(1)
                .uid("test-chaos")
                .sinkTo(sink)
                .setParallelism(1);

        boolean brokerRestarted =
                runWithBrokerRestart(env.executeAsync("generator under chaos"), brokerRestartAt);

        CardTransactionCodec codec = new CardTransactionCodec();
        List<String> ids =
                readCommitted("generated").stream()
                        .map(r -> codec.decode(r.value()).value().eventId)
                        .toList();
        long duplicates = ids.size() - ids.stream().distinct().count();
        java.util.Set<String> written = new java.util.HashSet<>(ids);
        long missing =
                java.util.stream.LongStream.range(0, RECORDS)
                        .filter(i -> !written.contains("tx-" + i))
                        .count();
        System.out.printf(
                "[chaos] generator: %d failures, broker restart %s, backpressure; records expected %d; written %d;"
                        + " duplicates %d; missing %d%n",
                ChaosStage.FAILURES.get(),
                brokerRestarted ? "yes" : "no",
                RECORDS,
                ids.size(),
                duplicates,
                missing);

        assertThat(ChaosStage.FAILURES.get()).as("injected failures").isEqualTo(3);
        assertThat(brokerRestarted).isTrue();
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(ids).hasSize(RECORDS);
    }

    /** Waits for the job to end, restarting the broker once the chaos stage passed the point. */
    private boolean runWithBrokerRestart(JobClient job, long brokerRestartAt) throws Exception {
        boolean brokerRestarted = false;
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            if (!brokerRestarted && ChaosStage.PASSED.get() >= brokerRestartAt) {
                System.out.println(
                        "[chaos] restarting the Kafka broker after "
                                + ChaosStage.PASSED.get()
                                + " records");
                kafka.stop();
                Thread.sleep(3000);
                kafka.start();
                brokerRestarted = true;
            }
            Thread.sleep(100);
        }
        job.getJobExecutionResult().get(); // rethrows if the job gave up
        return brokerRestarted;
    }

    private static EventSource<CardTransaction> chaotic(EventSource<CardTransaction> inner) {
        return env -> {
            DecodedStreams<CardTransaction> streams = inner.open(env);
            var events =
                    streams.events()
                            .map(new ChaosStage<CardTransaction>(2))
                            .returns(Types.POJO(CardTransaction.class))
                            .uid("test-chaos")
                            .name("chaos: slow, failing");
            return streams.withEvents(events);
        };
    }

    private void produce(TransactionScenario scenario, String topic) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(RECORDS);
        for (long i = 0; i < RECORDS; i++) {
            GeneratedRecord r = scenario.record(i);
            records.add(new ProducerRecord<>(topic, r.key, r.value));
        }
        KafkaBroker.produce(kafka.bootstrapServers(), records);
    }

    private List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return KafkaBroker.readCommitted(kafka.bootstrapServers(), topic, Duration.ofMinutes(1));
    }

    /**
     * Seeds the chaos stage with three failure points, in the first, middle and last third of the
     * run; returns when to restart the broker.
     */
    private static long armChaos(SplittableRandom random) {
        List<Long> thresholds = new ArrayList<>();
        for (double share : new double[] {0.15, 0.45, 0.75}) {
            thresholds.add((long) (RECORDS * (share + random.nextDouble() * 0.1)));
        }
        ChaosStage.reset(thresholds);
        return (long) (RECORDS * (0.3 + random.nextDouble() * 0.1));
    }

    /**
     * Starts a broker JVM with the topics, under target/chaos; returns the tests' Flink config
     * pointed at it, with restarts enough to ride out the faults.
     */
    private Configuration startBroker(String name, NewTopic... topics) throws Exception {
        Path dir = Path.of("target", "chaos", name + "-" + System.nanoTime()).toAbsolutePath();
        kafka = new KafkaBrokerProcess(dir);
        kafka.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(topics)).all().get();
        }
        Configuration config = TestFlinkConfig.load(dir.resolve("checkpoints"));
        config.setString("restart-strategy.fixed-delay.attempts", "30");
        config.setString("restart-strategy.fixed-delay.delay", "500ms");
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        return config;
    }
}
