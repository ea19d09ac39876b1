package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.BadInputCorpus;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.testing.SampleTransactions;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.generator.InjectedFraud;
import dev.tideway.jobs.generator.TransactionScenario;
import dev.tideway.jobs.testing.FailOnceAfterCheckpoint;
import dev.tideway.jobs.testing.JobMetrics;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generator (seeded) → real Kafka → FraudDetectionJob in a MiniCluster (parallelism 2, RocksDB,
 * exactly-once checkpoints) → read_committed consumer.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class FraudDetectionITCase {
    private static final long RECORDS = 16_000;
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @TempDir Path checkpoints;
    private Configuration config;
    private String transactions;
    private String alerts;
    private String deadLetters;

    @BeforeEach
    void freshTopics() {
        transactions = KafkaBroker.uniqueName("transactions");
        alerts = KafkaBroker.uniqueName("alerts");
        deadLetters = KafkaBroker.uniqueName("dead-letters");
        Map<String, String> large = Map.of("max.message.bytes", "" + KafkaBroker.MAX_MESSAGE_BYTES);
        KAFKA.createTopic(transactions, 4, large);
        KAFKA.createTopic(alerts, 2);
        KAFKA.createTopic(deadLetters, 2, large);

        config = TestFlinkConfig.load(checkpoints);
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        config.set(KafkaOptions.BOUNDED, true);
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, transactions);
        config.set(FraudOptions.TRANSACTIONS_TOPIC, transactions);
        config.set(FraudOptions.ALERTS_TOPIC, alerts);
        config.set(FraudOptions.DEAD_LETTER_TOPIC, deadLetters);
        config.set(FraudOptions.GROUP_ID, "fraud-" + transactions);
        config.set(GeneratorOptions.TOPIC, transactions);
        config.set(GeneratorOptions.COUNT, RECORDS);
        config.set(GeneratorOptions.RATE, 0.0);
        config.set(GeneratorOptions.SEED, 20261122L);
        config.set(GeneratorOptions.CARDS, 300);
        config.set(GeneratorOptions.FRAUD_RATIO, 0.05);
        config.set(GeneratorOptions.MALFORMED_RATIO, 0.01);
        config.set(GeneratorOptions.OUT_OF_ORDER_RATIO, 0.2);
        config.set(GeneratorOptions.START_TIME_AGO, Duration.ofHours(1));
    }

    @Test
    void everyInjectedFraudIsAlertedExactlyOnceAndEveryBadRecordIsADeadLetter() throws Exception {
        TransactionScenario scenario = generate();

        JobExecutionResult result = runFraudJob(FraudDetectionJob.transactionSource(config));

        assertAlertsMatch(scenario.injectedFrauds(RECORDS));
        List<DeadLetter> letters = assertDeadLettersAreTheMalformedRecords(scenario);
        long processed = sumCounter(result.getJobID(), "tidewayEventsIn");
        long rejected = sumCounter(result.getJobID(), "tidewayDeadLetters");
        assertThat(rejected).isEqualTo(letters.size());
        assertThat(processed + rejected)
                .as("records in = processed + dead letters")
                .isEqualTo(RECORDS);
        assertThat(sumCounter(result.getJobID(), "tidewayLateEvents")).isZero();
        int alerts = scenario.injectedFrauds(RECORDS).size();
        assertThat(sumCounter(result.getJobID(), "tidewayAlerts")).isEqualTo(alerts);
        assertThat(histogramCount(result.getJobID(), "tidewayAlertsLatencyMs"))
                .as("one latency sample per alert")
                .isEqualTo(alerts);
    }

    @Test
    void exactlyOnceAfterAFailureMidStream() throws Exception {
        TransactionScenario scenario = generate();
        FailOnceAfterCheckpoint.FAILED.set(false);

        runFraudJob(new FailingMidStream(FraudDetectionJob.transactionSource(config), RECORDS / 4));

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
        assertAlertsMatch(scenario.injectedFrauds(RECORDS));
        assertDeadLettersAreTheMalformedRecords(scenario);
    }

    @Test
    void badInputBecomesDeadLettersWithReasonsAndTheJobNeverRestarts() throws Exception {
        // No restarts allowed: any failure fails the job and this test.
        config.setString("restart-strategy.type", "none");
        CardTransactionCodec codec = new CardTransactionCodec();
        long now = System.currentTimeMillis() - 60_000;
        CardTransaction valid = validTransaction("ok-1", now);
        String json = new String(codec.encode(valid), StandardCharsets.UTF_8);
        byte[] mebibyte = new byte[1024 * 1024];
        Arrays.fill(mebibyte, (byte) ' ');
        mebibyte[0] = '{';
        mebibyte[mebibyte.length - 1] = '}';
        Map<String, String> payloads = new java.util.LinkedHashMap<>();
        payloads.put("invalid JSON", "{\"eventId\": \"x\",");
        payloads.put("wrong type", json.replace("\"amount\":12.50", "\"amount\":\"12.50\""));
        payloads.put("missing field", json.replace("\"merchant\":\"shop\",", ""));
        payloads.put("negative amount", json.replace("\"amount\":12.50", "\"amount\":-12.50"));
        payloads.put("NaN amount", json.replace("\"amount\":12.50", "\"amount\":NaN"));
        payloads.put("huge amount", json.replace("\"amount\":12.50", "\"amount\":1e300"));
        payloads.put("unknown currency", json.replace("\"EUR\"", "\"ZZZ\""));
        payloads.put("unknown authorization", json.replace("\"approved\"", "\"maybe\""));
        payloads.put(
                "a year ahead",
                json.replace(
                        java.time.Instant.ofEpochMilli(now).toString(),
                        java.time.Instant.now().plus(Duration.ofDays(365)).toString()));
        payloads.put("empty payload", "");
        Map<String, String> expectedReasons =
                Map.ofEntries(
                        Map.entry("invalid JSON", "not valid JSON"),
                        Map.entry("wrong type", "field 'amount' must be a number"),
                        Map.entry("missing field", "missing required field 'merchant'"),
                        Map.entry("negative amount", "field 'amount' must be > 0"),
                        Map.entry("NaN amount", "not valid JSON"),
                        Map.entry("huge amount", "field 'amount' must be > 0 and <= 1000000"),
                        Map.entry("unknown currency", "not a known ISO 4217 currency code"),
                        Map.entry("unknown authorization", "unknown value 'maybe'"),
                        Map.entry("a year ahead", "in the future"),
                        Map.entry("empty payload", "empty payload"),
                        Map.entry("1 MiB payload", "larger than the limit"),
                        Map.entry("null key", "record has no key"));
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        byte[] key = "card-1".getBytes(StandardCharsets.UTF_8);
        // One partition, so offsets follow this order.
        payloads.values()
                .forEach(
                        p ->
                                records.add(
                                        new ProducerRecord<>(
                                                transactions,
                                                0,
                                                key,
                                                p.getBytes(StandardCharsets.UTF_8))));
        records.add(new ProducerRecord<>(transactions, 0, key, mebibyte));
        records.add(
                new ProducerRecord<>(transactions, 0, null, json.getBytes(StandardCharsets.UTF_8)));
        records.add(
                new ProducerRecord<>(transactions, 0, key, json.getBytes(StandardCharsets.UTF_8)));
        List<String> labels = new java.util.ArrayList<>(payloads.keySet());
        labels.add("1 MiB payload");
        labels.add("null key");
        KAFKA.produce(records);

        JobExecutionResult result = runFraudJob(FraudDetectionJob.transactionSource(config));

        DeadLetterCodec deadLetterCodec = new DeadLetterCodec();
        Map<Long, DeadLetter> byOffset =
                KAFKA.readCommitted(deadLetters, Duration.ofSeconds(60)).stream()
                        .map(r -> deadLetterCodec.decode(r.value()).value())
                        .collect(Collectors.toMap(d -> d.sourceOffset, d -> d));
        assertThat(byOffset).hasSize(labels.size());
        for (int offset = 0; offset < labels.size(); offset++) {
            String label = labels.get(offset);
            DeadLetter letter = byOffset.get((long) offset);
            assertThat(letter).as(label).isNotNull();
            assertThat(letter.reason).as(label).contains(expectedReasons.get(label));
            assertThat(letter.payload).as(label).isEqualTo(records.get(offset).value());
            assertThat(letter.sourceTopic).isEqualTo(transactions);
            assertThat(letter.sourcePartition).isZero();
        }
        assertThat(sumCounter(result.getJobID(), "tidewayEventsIn")).isEqualTo(1);
        assertThat(KAFKA.readCommitted(alerts, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void theSharedBadInputCorpusBecomesDeadLettersAndTheJobNeverRestarts() throws Exception {
        config.setString("restart-strategy.type", "none");
        List<BadInputCorpus.Entry> corpus = BadInputCorpus.load();
        CardTransactionCodec codec = new CardTransactionCodec();
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (BadInputCorpus.Entry entry : corpus) {
            byte[] key = entry.keyed() ? "card-1".getBytes(StandardCharsets.UTF_8) : null;
            records.add(new ProducerRecord<>(transactions, 0, key, entry.payload()));
        }
        int valid = 10;
        for (int i = 0; i < valid; i++) {
            CardTransaction tx =
                    validTransaction("ok-" + i, System.currentTimeMillis() - 60_000 + i);
            records.add(
                    new ProducerRecord<>(
                            transactions,
                            0,
                            "card-1".getBytes(StandardCharsets.UTF_8),
                            codec.encode(tx)));
        }
        KAFKA.produce(records);

        JobExecutionResult result = runFraudJob(FraudDetectionJob.transactionSource(config));

        DeadLetterCodec deadLetterCodec = new DeadLetterCodec();
        List<DeadLetter> letters =
                KAFKA.readCommitted(deadLetters, Duration.ofSeconds(60)).stream()
                        .map(r -> deadLetterCodec.decode(r.value()).value())
                        .sorted(java.util.Comparator.comparingLong(d -> d.sourceOffset))
                        .toList();
        assertThat(letters).hasSize(corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(letters.get(i).sourceOffset).isEqualTo(i);
            assertThat(letters.get(i).payload)
                    .as(corpus.get(i).name())
                    .isEqualTo(corpus.get(i).payload());
            assertThat(letters.get(i).reason).as(corpus.get(i).name()).isNotBlank();
        }
        assertThat(sumCounter(result.getJobID(), "tidewayEventsIn")).isEqualTo(valid);
        assertThat(sumCounter(result.getJobID(), "tidewayDeadLetters")).isEqualTo(corpus.size());
    }

    @Test
    void producerRetriesDoNotDuplicateAlerts() throws Exception {
        TransactionScenario scenario = GeneratorJob.transactionScenario(config);
        // Every fifth record is sent twice in a row, as a producer retry would.
        List<ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            var r = scenario.record(i);
            records.add(new ProducerRecord<>(transactions, r.key, r.value));
            if (i % 5 == 0) {
                records.add(new ProducerRecord<>(transactions, r.key, r.value));
            }
        }
        KAFKA.produce(records);

        JobExecutionResult result = runFraudJob(FraudDetectionJob.transactionSource(config));

        assertAlertsMatch(scenario.injectedFrauds(RECORDS));
        long malformedRetried =
                java.util.stream.LongStream.range(0, RECORDS)
                        .filter(i -> i % 5 == 0 && scenario.malformedAt(i) != null)
                        .count();
        long validRetried = (RECORDS + 4) / 5 - malformedRetried;
        assertThat(sumCounter(result.getJobID(), "tidewayDuplicates")).isEqualTo(validRetried);
    }

    /** An approved 12.50 EUR charge on card-1 in Paris: valid, and no rule fires on it. */
    private static CardTransaction validTransaction(String eventId, long eventTime) {
        return SampleTransactions.approved(eventId, "card-1", eventTime);
    }

    private TransactionScenario generate() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        GeneratorJob.fromConfig(config, env).build(env);
        env.execute("generator");
        assertThat(KAFKA.readCommitted(transactions, Duration.ofSeconds(60)))
                .hasSize((int) RECORDS);
        return GeneratorJob.transactionScenario(config);
    }

    private JobExecutionResult runFraudJob(EventSource<CardTransaction> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        FraudDetectionJob.withSource(source, config, env).build(env);
        return env.execute("fraud");
    }

    private void assertAlertsMatch(List<InjectedFraud> injected) {
        assertThat(injected).hasSizeGreaterThan(50);
        assertThat(injected.stream().map(InjectedFraud::rule).distinct())
                .containsExactlyInAnyOrder("card-testing", "declined-burst", "impossible-travel");
        AlertCodec codec = new AlertCodec();
        List<InjectedFraud> alerted =
                KAFKA.readCommitted(alerts, Duration.ofSeconds(60)).stream()
                        .map(r -> codec.decode(r.value()).value())
                        .map(a -> new InjectedFraud(a.rule, a.key, a.evidence))
                        .toList();
        // Same multiset: every fraud once, no duplicates, nothing on clean traffic.
        assertThat(alerted).containsExactlyInAnyOrderElementsOf(injected);
    }

    private List<DeadLetter> assertDeadLettersAreTheMalformedRecords(TransactionScenario scenario) {
        DeadLetterCodec codec = new DeadLetterCodec();
        List<DeadLetter> letters =
                KAFKA.readCommitted(deadLetters, Duration.ofSeconds(60)).stream()
                        .map(r -> codec.decode(r.value()).value())
                        .toList();
        assertThat(letters).hasSize((int) scenario.malformedCount(RECORDS)).hasSizeGreaterThan(50);
        Map<String, ConsumerRecord<byte[], byte[]>> originals =
                KAFKA.readCommitted(transactions, Duration.ofSeconds(60)).stream()
                        .collect(Collectors.toMap(r -> r.partition() + "@" + r.offset(), r -> r));
        for (DeadLetter letter : letters) {
            assertThat(letter.sourceTopic).isEqualTo(transactions);
            assertThat(letter.reason).isNotBlank();
            ConsumerRecord<byte[], byte[]> original =
                    originals.get(letter.sourcePartition + "@" + letter.sourceOffset);
            assertThat(original).as("origin of " + letter).isNotNull();
            assertThat(letter.payload).isEqualTo(original.value());
            assertThat(letter.key).isEqualTo(original.key());
        }
        assertThat(letters.stream().map(l -> l.sourcePartition + "@" + l.sourceOffset).distinct())
                .as("each bad record once")
                .hasSize(letters.size());
        return letters;
    }

    /** The real source, with a map that fails the job once, after a checkpoint completed. */
    private record FailingMidStream(EventSource<CardTransaction> inner, long failAfter)
            implements EventSource<CardTransaction> {
        @Override
        public DecodedStreams<CardTransaction> open(StreamExecutionEnvironment env) {
            DecodedStreams<CardTransaction> streams = inner.open(env);
            var events =
                    streams.events()
                            .map(new FailOnceAfterCheckpoint<CardTransaction>(failAfter / 2))
                            .returns(Types.POJO(CardTransaction.class))
                            .uid("test-fail-once")
                            .name("fail once");
            return streams.withEvents(events);
        }
    }

    private static long sumCounter(JobID job, String name) {
        return JobMetrics.counter(METRICS, job, name);
    }

    private static long histogramCount(JobID job, String name) {
        return JobMetrics.histogramCount(METRICS, job, name);
    }
}
