package dev.tideway.jobs.clicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.files.EventTimePartitions;
import dev.tideway.connectors.files.parquet.ParquetRecordSchema;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.BadInputCorpus;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.testing.LakeContents;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.generator.ClickScenario;
import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.testing.FailOnceAfterCheckpoint;
import dev.tideway.jobs.testing.JobClients;
import dev.tideway.jobs.testing.JobMetrics;
import dev.tideway.jobs.testing.TestFlinkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickScenario → real Kafka → ClickstreamJob in a MiniCluster (parallelism 2, RocksDB,
 * exactly-once checkpoints) → read_committed consumers and committed files; expectations computed
 * from the generated clicks by {@link ExpectedClicks}.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ClickstreamITCase {
    private static final long RECORDS = 4_000;
    private static final Duration GAP = Duration.ofSeconds(2);
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration ABANDON = Duration.ofSeconds(3);
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
    @TempDir Path lake;
    private Configuration config;
    private String clicks;
    private String sessions;
    private String funnels;
    private String alerts;
    private String late;
    private String deadLetters;

    @BeforeEach
    void freshTopics() {
        clicks = KafkaBroker.uniqueName("clicks");
        sessions = KafkaBroker.uniqueName("sessions");
        funnels = KafkaBroker.uniqueName("funnels");
        alerts = KafkaBroker.uniqueName("click-alerts");
        late = KafkaBroker.uniqueName("late");
        deadLetters = KafkaBroker.uniqueName("dead-letters");
        Map<String, String> large = Map.of("max.message.bytes", "" + KafkaBroker.MAX_MESSAGE_BYTES);
        KAFKA.createTopic(clicks, 4, large);
        KAFKA.createTopic(sessions, 2);
        KAFKA.createTopic(funnels, 2);
        KAFKA.createTopic(alerts, 2);
        KAFKA.createTopic(late, 2);
        KAFKA.createTopic(deadLetters, 2, large);

        config = TestFlinkConfig.load(checkpoints);
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        config.set(KafkaOptions.BOUNDED, true);
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, clicks);
        config.set(ClickOptions.CLICKS_TOPIC, clicks);
        config.set(ClickOptions.SESSIONS_TOPIC, sessions);
        config.set(ClickOptions.FUNNELS_TOPIC, funnels);
        config.set(ClickOptions.ALERTS_TOPIC, alerts);
        config.set(ClickOptions.LATE_TOPIC, late);
        config.set(ClickOptions.DEAD_LETTER_TOPIC, deadLetters);
        config.set(ClickOptions.GROUP_ID, "clicks-" + clicks);
        config.set(ClickOptions.OUTPUT_PATH, lake.toUri().toString());
        config.set(ClickOptions.SESSION_GAP, GAP);
        config.set(ClickOptions.FUNNEL_WINDOW, WINDOW);
        config.set(ClickOptions.ABANDON_TIMEOUT, ABANDON);
    }

    @Test
    void sessionsFunnelsAndAbandonedCartsAreExactlyWhatTheClicksImply() throws Exception {
        ClickScenario scenario = produceScenario();

        JobExecutionResult result = runJob(ClickstreamJob.clickSource(config));

        assertOutputsMatch(scenario);
        JobID job = result.getJobID();
        assertThat(sumCounter(job, "tidewayEventsIn")).isEqualTo(RECORDS);
        assertThat(sumCounter(job, "tidewayDeadLetters")).isZero();
        assertThat(sumCounter(job, "tidewayLateEvents")).isZero();
        assertThat(KAFKA.readCommitted(late, Duration.ofSeconds(30))).isEmpty();
        assertThat(KAFKA.readCommitted(deadLetters, Duration.ofSeconds(30))).isEmpty();
        long sessionCount = read(sessions, new ClickSessionCodec()).size();
        assertThat(sumCounter(job, "tidewayClickSessions")).isEqualTo(sessionCount);
        assertThat(histogramCount(job, "tidewayClickSessionsLatencyMs")).isEqualTo(sessionCount);
        assertThat(sumCounter(job, "tidewayClickFunnels"))
                .isEqualTo(read(funnels, new FunnelCountsCodec()).size());
        int alertCount = scenario.injectedAbandonedCarts(RECORDS).size();
        assertThat(sumCounter(job, "tidewayAlerts")).isEqualTo(alertCount);
        assertThat(histogramCount(job, "tidewayAlertsLatencyMs")).isEqualTo(alertCount);
    }

    /** The abandoned-cart rule on flink-cep (tideway.clicks.engine: CEP): the same outputs. */
    @Test
    void theCepEngineGivesTheSameOutputs() throws Exception {
        config.set(ClickOptions.ENGINE, ClickOptions.Engine.CEP);
        ClickScenario scenario = produceScenario();

        JobExecutionResult result = runJob(ClickstreamJob.clickSource(config));

        assertOutputsMatch(scenario);
        assertThat(sumCounter(result.getJobID(), "tidewayAlerts"))
                .isEqualTo(scenario.injectedAbandonedCarts(RECORDS).size());
        assertThat(sumCounter(result.getJobID(), "tidewayLateEvents")).isZero();
    }

    @Test
    void exactlyOnceAfterAFailureMidStream() throws Exception {
        ClickScenario scenario = produceScenario();
        FailOnceAfterCheckpoint.FAILED.set(false);

        runJob(new FailingMidStream(ClickstreamJob.clickSource(config), RECORDS / 4));

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
        assertOutputsMatch(scenario);
        assertThat(KAFKA.readCommitted(late, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void badInputBecomesDeadLettersWithReasonsAndTheJobNeverRestarts() throws Exception {
        config.setString("restart-strategy.type", "none");
        ClickEventCodec codec = new ClickEventCodec();
        long now = System.currentTimeMillis() - 60_000;
        ClickEvent valid = new ClickEvent("ok", "user-1", "s-1", "/", ClickAction.VIEW, now);
        String json = new String(codec.encode(valid), StandardCharsets.UTF_8);
        String time = "\"eventTime\":\"" + Instant.ofEpochMilli(now) + "\"";
        byte[] mebibyte = new byte[1024 * 1024];
        Arrays.fill(mebibyte, (byte) ' ');
        mebibyte[0] = '{';
        mebibyte[mebibyte.length - 1] = '}';
        byte[] key = "user-1".getBytes(StandardCharsets.UTF_8);
        // label -> (key, payload, expected reason)
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("invalid JSON", new Object[] {key, "{\"eventId\": \"x\",", "not valid JSON"});
        cases.put(
                "wrong type",
                new Object[] {
                    key,
                    json.replace(time, "\"eventTime\":" + now),
                    "field 'eventTime' must be a string"
                });
        cases.put(
                "unknown action",
                new Object[] {
                    key, json.replace("\"view\"", "\"wishlist\""), "unknown value 'wishlist'"
                });
        cases.put(
                "a year ahead",
                new Object[] {
                    key,
                    json.replace(
                            Instant.ofEpochMilli(now).toString(),
                            Instant.now().plus(Duration.ofDays(365)).toString()),
                    "in the future"
                });
        cases.put(
                "missing field",
                new Object[] {
                    key, json.replace("\"page\":\"/\",", ""), "missing required field 'page'"
                });
        cases.put("empty payload", new Object[] {key, "", "empty payload"});
        cases.put("1 MiB payload", new Object[] {key, mebibyte, "larger than the limit"});
        cases.put("null key", new Object[] {null, json, "record has no key"});
        cases.put(
                "key of another user",
                new Object[] {
                    "user-2".getBytes(StandardCharsets.UTF_8), json, "differs from the event's key"
                });
        List<BadInputCorpus.Entry> corpus = BadInputCorpus.load();

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (var c : cases.entrySet()) {
            Object payload = c.getValue()[1];
            byte[] bytes =
                    payload instanceof byte[] b
                            ? b
                            : ((String) payload).getBytes(StandardCharsets.UTF_8);
            records.add(new ProducerRecord<>(clicks, 0, (byte[]) c.getValue()[0], bytes));
            labels.add(c.getKey());
        }
        for (BadInputCorpus.Entry entry : corpus) {
            records.add(
                    new ProducerRecord<>(clicks, 0, entry.keyed() ? key : null, entry.payload()));
            labels.add("corpus: " + entry.name());
        }
        int validCount = 5;
        for (int i = 0; i < validCount; i++) {
            ClickEvent ok =
                    new ClickEvent("ok-" + i, "user-1", "s-1", "/", ClickAction.VIEW, now + i);
            records.add(new ProducerRecord<>(clicks, 0, key, codec.encode(ok)));
        }
        KAFKA.produce(records);

        JobExecutionResult result = runJob(ClickstreamJob.clickSource(config));

        Map<Long, DeadLetter> byOffset =
                read(deadLetters, new DeadLetterCodec()).stream()
                        .collect(Collectors.toMap(d -> d.sourceOffset, d -> d));
        assertThat(byOffset).hasSize(labels.size());
        for (int offset = 0; offset < labels.size(); offset++) {
            String label = labels.get(offset);
            DeadLetter letter = byOffset.get((long) offset);
            assertThat(letter).as(label).isNotNull();
            assertThat(letter.payload).as(label).isEqualTo(records.get(offset).value());
            assertThat(letter.sourceTopic).isEqualTo(clicks);
            assertThat(letter.reason).as(label).isNotBlank();
            if (offset < cases.size()) {
                assertThat(letter.reason).as(label).contains((String) cases.get(label)[2]);
            }
        }
        assertThat(sumCounter(result.getJobID(), "tidewayEventsIn")).isEqualTo(validCount);
        assertThat(sumCounter(result.getJobID(), "tidewayDeadLetters")).isEqualTo(labels.size());
        assertThat(read(sessions, new ClickSessionCodec()))
                .singleElement()
                .satisfies(s -> assertThat(s.clicks).isEqualTo(validCount));
        assertThat(KAFKA.readCommitted(alerts, Duration.ofSeconds(30))).isEmpty();
    }

    /**
     * Unbounded, two partitions: one goes quiet after a few clicks while the other keeps flowing.
     * Windows must fire on the flowing partition's time alone (idleness), with the job running.
     * Then, with the watermark proven past them, two late clicks: one behind its own partition's
     * watermark (caught at the source), and one on the quiet partition that is ahead of that
     * partition's watermark but behind the job's (caught after the keyBy). Both reach the late
     * topic and the late-event count; neither reaches a session.
     */
    @Test
    void aQuietPartitionDoesNotStallWindowsAndLateClicksGoToTheLateTopic() throws Exception {
        String twoPartitions = KafkaBroker.uniqueName("clicks-2p");
        KAFKA.createTopic(twoPartitions, 2);
        config.set(ClickOptions.CLICKS_TOPIC, twoPartitions);
        config.set(KafkaOptions.BOUNDED, false);
        config.set(EventTimeOptions.IDLENESS, Duration.ofSeconds(1));
        long base = Instant.now().minus(Duration.ofMinutes(30)).toEpochMilli();
        ClickEventCodec codec = new ClickEventCodec();
        List<ProducerRecord<byte[], byte[]>> quiet = new ArrayList<>();
        for (int i = 0; i <= 2; i++) {
            quiet.add(
                    record(
                            twoPartitions,
                            1,
                            codec,
                            new ClickEvent(
                                    "q-" + i,
                                    "quiet",
                                    "s",
                                    "/",
                                    ClickAction.VIEW,
                                    base + i * 500)));
        }
        KAFKA.produce(quiet);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        ClickstreamJob.fromConfig(config, env).build(env);
        JobClient job = env.executeAsync("clicks unbounded");
        try {
            long[] next = {0};
            long proven = base + 20_000;
            // The busy partition flows: each poll adds 5 s of event time, until a window that
            // starts well after the quiet partition's last click is committed.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(
                            () -> {
                                List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                                for (int i = 0; i < 5; i++, next[0]++) {
                                    batch.add(
                                            record(
                                                    twoPartitions,
                                                    0,
                                                    codec,
                                                    new ClickEvent(
                                                            "b-" + next[0],
                                                            "busy-" + (next[0] % 3),
                                                            "s",
                                                            "/",
                                                            ClickAction.VIEW,
                                                            base + next[0] * 1000)));
                                }
                                KAFKA.produce(batch);
                                return read(funnels, new FunnelCountsCodec()).stream()
                                        .anyMatch(f -> f.windowEnd >= proven);
                            });
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(read(sessions, new ClickSessionCodec()))
                    .as("the quiet user's session closed on the busy partition's time")
                    .anyMatch(s -> s.userId.equals("quiet") && s.clicks == 3);

            // The job's watermark is at least proven - 1 now. Behind the busy partition's own
            // watermark (which is ahead of the job's):
            ClickEvent lateAtSource =
                    new ClickEvent(
                            "late-1", "late-user-1", "s", "/", ClickAction.VIEW, proven - 5_000);
            // Ahead of the quiet partition's watermark (its clicks ended at base + 1 s), behind
            // the job's:
            ClickEvent lateAfterKeyBy =
                    new ClickEvent(
                            "late-2", "late-user-2", "s", "/", ClickAction.VIEW, base + 2_000);
            KAFKA.produce(
                    List.of(
                            record(twoPartitions, 0, codec, lateAtSource),
                            record(twoPartitions, 1, codec, lateAfterKeyBy)));

            DeadLetterCodec letters = new DeadLetterCodec();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> read(late, letters).size() >= 2);
            List<DeadLetter> lateLetters = read(late, letters);
            assertThat(lateLetters).hasSize(2);
            Map<String, DeadLetter> byEvent =
                    lateLetters.stream()
                            .collect(
                                    Collectors.toMap(
                                            d -> codec.decode(d.payload).value().eventId, d -> d));
            assertThat(byEvent.get("late-1").sourceTopic).isEqualTo(twoPartitions);
            assertThat(byEvent.get("late-1").sourcePartition).isZero();
            assertThat(byEvent.get("late-1").reason).contains("behind the watermark");
            assertThat(byEvent.get("late-2").reason).contains("late event");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sumCounter(job.getJobID(), "tidewayLateEvents") == 2);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(read(sessions, new ClickSessionCodec()))
                    .noneMatch(s -> s.userId.startsWith("late-user"));
        } finally {
            JobClients.cancelAndAwaitEnd(job);
        }
    }

    private ClickScenario produceScenario() {
        ClickScenario scenario =
                new ClickScenario(
                        20261124L,
                        RECORDS,
                        100,
                        0.06,
                        0.2,
                        0.3,
                        Instant.now().minus(Duration.ofHours(1)),
                        20);
        assertThat(scenario.maxDisorder())
                .isLessThan(config.get(EventTimeOptions.MAX_OUT_OF_ORDERNESS));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            GeneratedRecord r = scenario.record(i);
            records.add(new ProducerRecord<>(clicks, r.key, r.value));
        }
        KAFKA.produce(records);
        return scenario;
    }

    private JobExecutionResult runJob(EventSource<ClickEvent> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        new ClickstreamJob(
                        source,
                        ClickSinks.fromConfig(config, env),
                        ClickOptions.rules(config),
                        config.get(ClickOptions.ENGINE))
                .build(env);
        return env.execute("clicks");
    }

    private void assertOutputsMatch(ClickScenario scenario) throws IOException {
        List<ClickEvent> generated = scenario.clicks(RECORDS);

        List<ClickSession> expectedSessions = ExpectedClicks.sessions(generated, GAP);
        assertThat(expectedSessions.stream().filter(s -> s.clicks > ClickScenario.BLOCK))
                .as("some visits merged into one session")
                .isNotEmpty();
        List<ClickSession> sessionsOut = read(sessions, new ClickSessionCodec());
        assertThat(sessionsOut).containsExactlyInAnyOrderElementsOf(expectedSessions);
        assertThat(
                        committedFiles(
                                ClickSinks.SESSION_FILES,
                                ClickSinks.SESSION_SCHEMA,
                                new ClickSessionCodec()))
                .containsExactlyInAnyOrderElementsOf(expectedSessions);

        List<FunnelCounts> expectedFunnels = ExpectedClicks.funnels(generated, WINDOW);
        assertThat(expectedFunnels).anyMatch(f -> f.purchased > 0);
        assertThat(read(funnels, new FunnelCountsCodec()))
                .containsExactlyInAnyOrderElementsOf(expectedFunnels);
        assertThat(
                        committedFiles(
                                ClickSinks.FUNNEL_FILES,
                                ClickSinks.FUNNEL_SCHEMA,
                                new FunnelCountsCodec()))
                .containsExactlyInAnyOrderElementsOf(expectedFunnels);

        List<ClickScenario.AbandonedCart> injected = scenario.injectedAbandonedCarts(RECORDS);
        assertThat(injected).hasSizeGreaterThan(20);
        List<Alert> alertsOut = read(alerts, new AlertCodec());
        // Same multiset: every abandoned cart once, no duplicates, nothing on bought carts.
        assertThat(alertsOut)
                .extracting(a -> a.rule + " " + a.key + " " + a.evidence + " " + a.eventTime)
                .containsExactlyInAnyOrderElementsOf(
                        injected.stream()
                                .map(
                                        c ->
                                                "abandoned-cart "
                                                        + c.userId()
                                                        + " "
                                                        + List.of(c.cartEventId())
                                                        + " "
                                                        + (c.cartTime() + ABANDON.toMillis()))
                                .toList());
        Set<String> buyers =
                scenario.completedPurchases(RECORDS).stream()
                        .map(ClickScenario.Purchase::userId)
                        .collect(Collectors.toSet());
        assertThat(buyers).hasSizeGreaterThan(20);
        assertThat(alertsOut).noneMatch(a -> buyers.contains(a.key));
    }

    private static <T> List<T> read(String topic, EventCodec<T> codec) {
        return KAFKA.readCommitted(topic, Duration.ofSeconds(60)).stream()
                .map(r -> codec.decode(r.value()).value())
                .toList();
    }

    /** Committed Parquet files of one output; each record in its event-time partition. */
    private <T> List<T> committedFiles(
            String type, ParquetRecordSchema<T> schema, EventCodec<T> codec) throws IOException {
        var lakeContents = LakeContents.read(lake.toUri().toString(), type, schema);
        lakeContents
                .rowsByPartition()
                .forEach(
                        (partition, rows) ->
                                rows.forEach(
                                        r ->
                                                assertThat(
                                                                EventTimePartitions.partitionOf(
                                                                        type, codec.eventTimeOf(r)))
                                                        .isEqualTo(partition)));
        return lakeContents.rows();
    }

    private static ProducerRecord<byte[], byte[]> record(
            String topic, int partition, ClickEventCodec codec, ClickEvent click) {
        return new ProducerRecord<>(
                topic,
                partition,
                click.userId.getBytes(StandardCharsets.UTF_8),
                codec.encode(click));
    }

    /** The real source, with a map that fails the job once, after a checkpoint completed. */
    private record FailingMidStream(EventSource<ClickEvent> inner, long failAfter)
            implements EventSource<ClickEvent> {
        @Override
        public DecodedStreams<ClickEvent> open(StreamExecutionEnvironment env) {
            DecodedStreams<ClickEvent> streams = inner.open(env);
            return streams.withEvents(
                    streams.events()
                            .map(new FailOnceAfterCheckpoint<ClickEvent>(failAfter / 2))
                            .returns(Types.POJO(ClickEvent.class))
                            .uid("test-fail-once")
                            .name("fail once"));
        }
    }

    private static long sumCounter(JobID job, String name) {
        return JobMetrics.counter(METRICS, job, name);
    }

    private static long histogramCount(JobID job, String name) {
        return JobMetrics.histogramCount(METRICS, job, name);
    }
}
