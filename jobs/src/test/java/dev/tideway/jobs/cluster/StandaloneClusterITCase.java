package dev.tideway.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.generator.InjectedFraud;
import dev.tideway.jobs.generator.TransactionScenario;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fraud job's life on a real standalone cluster (a JobManager and two TaskManagers, each its
 * own JVM, started by scripts/flink): submitted through Flink's CLI, a TaskManager SIGKILLed
 * mid-stream, stopped with a savepoint and resumed at another parallelism. The output must be
 * exactly once throughout.
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class StandaloneClusterITCase {
    private static final int RECORDS = 24_000;
    private static final int PHASE = RECORDS / 3;

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private LocalCluster cluster;

    @AfterEach
    void stopEveryProcess() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void fraudJobSurvivesATaskManagerKillAndARescaleExactlyOnce() {
        String transactions = KafkaBroker.uniqueName("transactions");
        String alerts = KafkaBroker.uniqueName("alerts");
        String deadLetters = KafkaBroker.uniqueName("dead-letters");
        KAFKA.createTopic(transactions, 4);
        KAFKA.createTopic(alerts, 2);
        KAFKA.createTopic(
                deadLetters, 2, Map.of("max.message.bytes", "" + KafkaBroker.MAX_MESSAGE_BYTES));
        Instant start = Instant.now().minus(Duration.ofHours(1));
        TransactionScenario scenario =
                new TransactionScenario(
                        99, RECORDS, 300, 0.05, 0.2, Duration.ofSeconds(2), 0.01, 3, start, 0);
        String[] jobOptions = {
            "--tideway.kafka.bootstrap-servers", KAFKA.bootstrapServers(),
            "--tideway.kafka.starting-offsets", "EARLIEST",
            "--tideway.kafka.sink.transactional-id-prefix", transactions,
            "--tideway.fraud.transactions-topic", transactions,
            "--tideway.fraud.alerts-topic", alerts,
            "--tideway.fraud.dead-letter-topic", deadLetters,
            "--tideway.fraud.group-id", "fraud-" + transactions
        };

        // From nothing to a running job: cluster JVMs, then the CLI submission.
        long t0 = System.nanoTime();
        // Under target/, not a temp dir: the cluster's logs stay for a look after a failure.
        Path runDir = Path.of("target", "cluster-it", transactions).toAbsolutePath();
        cluster = new LocalCluster(runDir);
        cluster.script("start", "--taskmanagers", "2", "--profile", "low-latency");
        String job = cluster.submit(concat(new String[] {"fraud", "-p", "2", "--"}, jobOptions));
        await().atMost(Duration.ofMinutes(2)).until(() -> cluster.fullyRunning(job));
        System.out.printf("[cluster] nothing to running job: %.1f s%n", seconds(t0));

        produce(scenario, 0, PHASE, transactions);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> !KAFKA.readCommitted(alerts, Duration.ofSeconds(30)).isEmpty());

        // A TaskManager that runs tasks of the job: losing it must fail and restore the job.
        var hosts = cluster.taskManagersOf(job);
        assertThat(hosts).as("slots spread over both TaskManagers").hasSize(2);
        long killed = System.nanoTime();
        cluster.script("kill-taskmanager", String.valueOf(hosts.first()));
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                cluster.checkpointCounts(job).path("restored").asInt() >= 1
                                        && cluster.fullyRunning(job));
        System.out.printf(
                "[cluster] SIGKILL of a TaskManager to job running again: %.1f s%n",
                seconds(killed));

        produce(scenario, PHASE, 2 * PHASE, transactions);
        int completed = cluster.checkpointCounts(job).path("completed").asInt();
        await().atMost(Duration.ofMinutes(1))
                .until(
                        () ->
                                cluster.checkpointCounts(job).path("completed").asInt()
                                        > completed + 1);

        // Stop with a savepoint, add a TaskManager, resume at parallelism 3.
        String savepoint = cluster.script("stop-job", job).strip();
        assertThat(savepoint).contains("savepoint-");
        cluster.script("add-taskmanager");
        String resumed =
                cluster.submit(
                        concat(
                                new String[] {"fraud", "-p", "3", "-s", savepoint, "--"},
                                jobOptions));
        await().atMost(Duration.ofMinutes(2)).until(() -> cluster.fullyRunning(resumed));
        assertThat(
                        cluster.rest("/jobs/" + resumed + "/plan")
                                .path("plan")
                                .path("nodes")
                                .findValuesAsText("parallelism"))
                .contains("3");

        produce(scenario, 2 * PHASE, RECORDS, transactions);
        flushWatermarks(
                start.plus(Duration.ofMillis(RECORDS)).plus(Duration.ofMinutes(1)), transactions);

        List<InjectedFraud> expected = scenario.injectedFrauds(RECORDS);
        AlertCodec alertCodec = new AlertCodec();
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                KAFKA.readCommitted(alerts, Duration.ofSeconds(30)).size()
                                        >= expected.size());
        // One more checkpoint: whatever a duplicate would be, it would be committed by now.
        int done = cluster.checkpointCounts(resumed).path("completed").asInt();
        await().atMost(Duration.ofMinutes(1))
                .until(
                        () ->
                                cluster.checkpointCounts(resumed).path("completed").asInt()
                                        > done + 1);

        List<InjectedFraud> alerted =
                KAFKA.readCommitted(alerts, Duration.ofSeconds(30)).stream()
                        .map(r -> alertCodec.decode(r.value()).value())
                        .map(a -> new InjectedFraud(a.rule, a.key, a.evidence))
                        .toList();
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(alerted).containsExactlyInAnyOrderElementsOf(expected);

        DeadLetterCodec deadLetterCodec = new DeadLetterCodec();
        List<String> origins =
                KAFKA.readCommitted(deadLetters, Duration.ofSeconds(30)).stream()
                        .map(r -> deadLetterCodec.decode(r.value()).value())
                        .map(d -> d.sourcePartition + "@" + d.sourceOffset)
                        .toList();
        assertThat(origins).doesNotHaveDuplicates().hasSize((int) scenario.malformedCount(RECORDS));
    }

    private static void produce(TransactionScenario scenario, int from, int to, String topic) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(to - from);
        for (long i = from; i < to; i++) {
            GeneratedRecord r = scenario.record(i);
            records.add(new ProducerRecord<>(topic, r.key, r.value));
        }
        KAFKA.produce(records);
    }

    /** One clean transaction per partition, a minute later: moves every partition's watermark. */
    private static void flushWatermarks(Instant time, String topic) {
        CardTransactionCodec codec = new CardTransactionCodec();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < 4; partition++) {
            String card = "flush-card-" + partition;
            CardTransaction tx =
                    new CardTransaction(
                            "flush-" + partition,
                            card,
                            "acct",
                            "shop",
                            new BigDecimal("10.00"),
                            "EUR",
                            0,
                            0,
                            AuthorizationResult.APPROVED,
                            time.toEpochMilli());
            records.add(
                    new ProducerRecord<>(
                            topic,
                            partition,
                            card.getBytes(StandardCharsets.UTF_8),
                            codec.encode(tx)));
        }
        KAFKA.produce(records);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
