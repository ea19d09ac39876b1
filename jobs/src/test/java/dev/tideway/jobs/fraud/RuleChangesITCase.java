package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.testing.FailOnceAfterCheckpoint;
import dev.tideway.jobs.testing.JobClients;
import dev.tideway.jobs.testing.JobMetrics;
import dev.tideway.jobs.testing.TestFlinkConfig;
import dev.tideway.rules.RuleStatus;
import dev.tideway.rules.RuleStatusCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules changed while the fraud job runs, through a real Kafka control topic, on a MiniCluster at
 * parallelism 2 with exactly-once checkpoints: a threshold change at an exact event time, a rule
 * added, a rule removed (with its partial matches), malformed updates rejected with a reason on the
 * status topic while the rules go on, no restart until one failure is injected on purpose; after it
 * the restored job runs the latest rule set and every alert is written exactly once.
 *
 * <p>Time: the out-of-orderness bound is a minute, so events wait in the engine until a "clock"
 * transaction a minute later passes them. That makes each step's order certain: an update that the
 * status topic shows as applied reached the engine before the events produced after it were
 * released.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class RuleChangesITCase {
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

    /** Recent enough for the broker's retention, far enough back for the clock ticks. */
    private static final Instant T0 =
            Instant.now().minus(Duration.ofMinutes(90)).truncatedTo(ChronoUnit.MINUTES);

    @TempDir Path checkpoints;
    private final String transactions = KafkaBroker.uniqueName("rc-transactions");
    private final String alerts = KafkaBroker.uniqueName("rc-alerts");
    private final String rules = KafkaBroker.uniqueName("rc-rules");
    private final String status = KafkaBroker.uniqueName("rc-rule-status");

    @Test
    void rulesChangeAtTheDocumentedPointWithoutRestartsAndSurviveAFailure() throws Exception {
        KAFKA.createTopic(transactions, 2);
        KAFKA.createTopic(alerts, 2);
        KAFKA.createTopic(rules, 1);
        KAFKA.createTopic(status, 1);
        KAFKA.createTopic(transactions + "-dead", 1);
        Configuration config = TestFlinkConfig.load(checkpoints);
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, transactions);
        config.set(FraudOptions.TRANSACTIONS_TOPIC, transactions);
        config.set(FraudOptions.ALERTS_TOPIC, alerts);
        config.set(FraudOptions.DEAD_LETTER_TOPIC, transactions + "-dead");
        config.set(FraudOptions.RULES_TOPIC, rules);
        config.set(FraudOptions.RULE_STATUS_TOPIC, status);
        config.set(FraudOptions.GROUP_ID, "rc-" + transactions);
        config.set(EventTimeOptions.MAX_OUT_OF_ORDERNESS, Duration.ofMinutes(1));
        config.set(EventTimeOptions.IDLENESS, Duration.ofMinutes(30));
        // The one restart allowed is the injected failure's.
        config.setString("restart-strategy.fixed-delay.attempts", "1");

        // The built-in rules: card testing needs a large charge of 500.00 or more.
        send(tx("a-probe", "card-a", "1.00", 1, 0), tx("a-charge", "card-a", "600.00", 2, 0));
        // Before the switch point below, and still waiting for the watermark when it arrives.
        send(
                tx("z-probe", "card-z", "1.00", 9 * 60 + 40, 0),
                tx("z-charge", "card-z", "400.00", 9 * 60 + 45, 0));
        clock(10 * 60);

        FailOnceAfterCheckpoint.FAILED.set(false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        FraudDetectionJob.withSource(
                        failingAtPhaseFive(FraudDetectionJob.transactionSource(config)),
                        config,
                        env)
                .build(env);
        JobClient job = env.executeAsync("fraud with rule changes");
        try {
            awaitAlert(a -> a.evidence.equals(List.of("a-probe", "a-charge")));

            // 1. A threshold change with an exact switch point: large charges from 300.00 on,
            //    for events at or after minute 10.
            publish(cardTesting(2, "300.00", at(10 * 60)));
            awaitStatus(s -> s.ruleId.equals("card-testing") && s.version == 2, RuleStatus.ACTIVE);
            send(
                    tx("x-probe", "card-x", "1.00", 10 * 60 + 10, 0),
                    tx("x-charge", "card-x", "400.00", 10 * 60 + 20, 0));
            clock(12 * 60);
            awaitAlert(a -> a.evidence.equals(List.of("x-probe", "x-charge")));

            // 2. A new rule, from minute 13: every USD charge.
            publish(
                    "{\"id\":\"usd\",\"version\":1,\"key\":\"cardId\",\"within\":\"1 min\","
                            + "\"activeFrom\":\""
                            + at(13 * 60)
                            + "\","
                            + "\"steps\":[{\"name\":\"usd\",\"where\":\"currency == 'USD'\"}]}");
            awaitStatus(s -> s.ruleId.equals("usd"), RuleStatus.ACTIVE);
            send(
                    tx("u-before", "card-u", "20.00", 12 * 60 + 30, 1),
                    tx("u-after", "card-u", "20.00", 13 * 60 + 30, 1));
            // Two declines of a burst of three: a partial match in the engine's state.
            send(
                    tx("d1", "card-d", "9.00", 15 * 60 + 10, 2),
                    tx("d2", "card-d", "9.00", 15 * 60 + 20, 2));
            send(tx("u-marker-1", "card-m", "20.00", 15 * 60 + 30, 1));
            clock(17 * 60);
            awaitAlert(a -> a.evidence.equals(List.of("u-marker-1")));

            // 3. Remove declined-burst: its partial match goes, no burst is reported any more.
            publish("{\"id\":\"declined-burst\",\"remove\":true}");
            awaitStatus(s -> s.ruleId.equals("declined-burst"), RuleStatus.REMOVED);
            send(tx("d3", "card-d", "9.00", 17 * 60 + 10, 2));
            send(
                    tx("e1", "card-e", "9.00", 17 * 60 + 20, 2),
                    tx("e2", "card-e", "9.00", 17 * 60 + 25, 2),
                    tx("e3", "card-e", "9.00", 17 * 60 + 30, 2));
            send(tx("u-marker-2", "card-m", "20.00", 17 * 60 + 50, 1));
            clock(19 * 60);
            awaitAlert(a -> a.evidence.equals(List.of("u-marker-2")));

            // 4. Malformed updates are rejected with a reason; the running rules go on.
            publish("{not json");
            publish(
                    "{\"id\":\"broken\",\"version\":1,\"key\":\"cardId\",\"within\":\"5 min\","
                            + "\"steps\":[{\"where\":\"amount >>= 3\"}]}");
            publish(cardTesting(1, "1000.00", null));
            awaitStatus(s -> s.ruleId == null, RuleStatus.REJECTED);
            awaitStatus(s -> "broken".equals(s.ruleId), RuleStatus.REJECTED);
            awaitStatus(
                    s -> "card-testing".equals(s.ruleId) && s.version == 1, RuleStatus.REJECTED);
            send(
                    tx("y-probe", "card-y", "1.00", 19 * 60 + 10, 0),
                    tx("y-charge", "card-y", "350.00", 19 * 60 + 20, 0));
            clock(21 * 60);
            awaitAlert(a -> a.evidence.equals(List.of("y-probe", "y-charge")));
            assertThat(JobMetrics.gauge(METRICS, job.getJobID(), "numRestarts"))
                    .as("rule changes never restart the job")
                    .isZero();

            // 5. A failure: the job restarts from a checkpoint with the latest rule set.
            send(
                    tx("f-probe", "card-f", "1.00", 21 * 60 + 10, 0),
                    tx("f-charge", "card-f", "350.00", 21 * 60 + 20, 0));
            send(tx("f-usd", "card-f2", "20.00", 21 * 60 + 30, 1));
            send(
                    tx("g1", "card-g", "9.00", 21 * 60 + 40, 2),
                    tx("g2", "card-g", "9.00", 21 * 60 + 41, 2),
                    tx("g3", "card-g", "9.00", 21 * 60 + 42, 2));
            clock(23 * 60);
            awaitAlert(a -> a.evidence.equals(List.of("f-usd")));
            awaitAlert(a -> a.evidence.equals(List.of("f-probe", "f-charge")));
            assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            JobClients.cancelAndAwaitEnd(job);
        }

        List<String> all = alerts().stream().map(a -> a.rule + a.evidence).toList();
        assertThat(all)
                .as("every alert exactly once, the changes applied where documented")
                .containsExactlyInAnyOrder(
                        "card-testing[a-probe, a-charge]",
                        "card-testing[x-probe, x-charge]",
                        "usd[u-after]",
                        "usd[u-marker-1]",
                        "usd[u-marker-2]",
                        "card-testing[y-probe, y-charge]",
                        "card-testing[f-probe, f-charge]",
                        "usd[f-usd]");
        List<RuleStatus> statuses = statuses();
        assertThat(statuses)
                .filteredOn(s -> s.ruleId == null)
                .singleElement()
                .satisfies(s -> assertThat(s.reason).contains("not valid JSON"));
        assertThat(statuses)
                .filteredOn(s -> "broken".equals(s.ruleId))
                .singleElement()
                .satisfies(s -> assertThat(s.reason).contains("step1").contains("position"));
        assertThat(statuses)
                .filteredOn(s -> "card-testing".equals(s.ruleId) && s.version == 1)
                .singleElement()
                .satisfies(
                        s -> assertThat(s.reason).contains("not newer than the running version 2"));
    }

    private static String cardTesting(int version, String large, Instant activeFrom) {
        return "{\"id\":\"card-testing\",\"version\":"
                + version
                + ",\"key\":\"cardId\","
                + "\"within\":\"5 min\","
                + (activeFrom == null ? "" : "\"activeFrom\":\"" + activeFrom + "\",")
                + "\"steps\":[{\"name\":\"probe\",\"where\":\"amount <= 2.00\"},"
                + "{\"name\":\"charge\",\"where\":\"amount >= "
                + large
                + "\"}]}";
    }

    private void publish(String rule) {
        KAFKA.produce(
                List.of(new ProducerRecord<>(rules, null, rule.getBytes(StandardCharsets.UTF_8))));
    }

    private void send(CardTransaction... txs) {
        CardTransactionCodec codec = new CardTransactionCodec();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (CardTransaction tx : txs) {
            records.add(
                    new ProducerRecord<>(
                            transactions,
                            tx.cardId.getBytes(StandardCharsets.UTF_8),
                            codec.encode(tx)));
        }
        KAFKA.produce(records);
    }

    /** A quiet transaction on each partition, moving the watermark to second - 1 min. */
    private void clock(int second) {
        CardTransactionCodec codec = new CardTransactionCodec();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            CardTransaction tick =
                    tx("clock-" + second + "-" + partition, "clock", "12.50", second, 0);
            records.add(
                    new ProducerRecord<>(
                            transactions,
                            partition,
                            "clock".getBytes(StandardCharsets.UTF_8),
                            codec.encode(tick)));
        }
        KAFKA.produce(records);
    }

    private void awaitAlert(Predicate<Alert> expected) throws InterruptedException {
        await("alert", () -> alerts().stream().anyMatch(expected));
    }

    private void awaitStatus(Predicate<RuleStatus> which, String expected)
            throws InterruptedException {
        await(
                "rule status " + expected,
                () ->
                        statuses().stream()
                                .anyMatch(s -> which.test(s) && expected.equals(s.status)));
    }

    /** Polls the committed output until the condition holds, for at most a minute. */
    private static void await(String what, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " awaited in time").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private List<Alert> alerts() {
        AlertCodec codec = new AlertCodec();
        return KAFKA.readCommitted(alerts, Duration.ofSeconds(30)).stream()
                .map(r -> codec.decode(r.value()).value())
                .toList();
    }

    private List<RuleStatus> statuses() {
        RuleStatusCodec codec = new RuleStatusCodec();
        return KAFKA.readCommitted(status, Duration.ofSeconds(30)).stream()
                .map(r -> codec.decode(r.value()).value())
                .toList();
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    /** kind 0: approved EUR, 1: approved USD, 2: declined EUR; all in Paris. */
    private static CardTransaction tx(String id, String card, String amount, int second, int kind) {
        return new CardTransaction(
                id,
                card,
                "acct",
                "shop",
                new BigDecimal(amount),
                kind == 1 ? "USD" : "EUR",
                48.85,
                2.35,
                kind == 2 ? AuthorizationResult.DECLINED : AuthorizationResult.APPROVED,
                at(second).toEpochMilli());
    }

    /** The real source, with a map that fails the job at the first "f-probe" it reads. */
    private static EventSource<CardTransaction> failingAtPhaseFive(
            EventSource<CardTransaction> inner) {
        return env -> {
            DecodedStreams<CardTransaction> streams = inner.open(env);
            return streams.withEvents(
                    streams.events()
                            .map(new FailOnce())
                            .returns(Types.POJO(CardTransaction.class))
                            .uid("test-fail-once")
                            .name("fail once"));
        };
    }

    /** Throws once per test run, at "f-probe"; on the restart it passes. */
    static final class FailOnce extends RichMapFunction<CardTransaction, CardTransaction> {
        @Override
        public CardTransaction map(CardTransaction tx) {
            if (tx.eventId.equals("f-probe")
                    && FailOnceAfterCheckpoint.FAILED.compareAndSet(false, true)) {
                throw new RuntimeException("injected failure at " + tx.eventId);
            }
            return tx;
        }
    }
}
