package dev.tideway.jobs.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.common.model.SensorReading;
import dev.tideway.connectors.files.EventTimePartitions;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.testing.BadInputCorpus;
import dev.tideway.connectors.testing.KafkaBroker;
import dev.tideway.connectors.testing.LakeContents;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.generator.GeneratedRecord;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.generator.SensorScenario;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SensorScenario (seeded) → real Kafka → SensorMonitoringJob in a MiniCluster (parallelism 2,
 * RocksDB, exactly-once checkpoints) → read_committed consumers and the committed JSON-lines files.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SensorMonitoringITCase {
    private static final long RECORDS = 8_000;
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(5);
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
    private String readings;
    private String alerts;
    private String aggregates;
    private String late;
    private String deadLetters;

    @BeforeEach
    void freshTopics() {
        readings = KafkaBroker.uniqueName("readings");
        alerts = KafkaBroker.uniqueName("sensor-alerts");
        aggregates = KafkaBroker.uniqueName("aggregates");
        late = KafkaBroker.uniqueName("late");
        deadLetters = KafkaBroker.uniqueName("dead-letters");
        Map<String, String> large = Map.of("max.message.bytes", "" + KafkaBroker.MAX_MESSAGE_BYTES);
        KAFKA.createTopic(readings, 4, large);
        KAFKA.createTopic(alerts, 2);
        KAFKA.createTopic(aggregates, 2);
        KAFKA.createTopic(late, 2);
        KAFKA.createTopic(deadLetters, 2, large);

        config = TestFlinkConfig.load(checkpoints);
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        config.set(KafkaOptions.BOUNDED, true);
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, readings);
        config.set(SensorOptions.READINGS_TOPIC, readings);
        config.set(SensorOptions.ALERTS_TOPIC, alerts);
        config.set(SensorOptions.AGGREGATES_TOPIC, aggregates);
        config.set(SensorOptions.LATE_TOPIC, late);
        config.set(SensorOptions.DEAD_LETTER_TOPIC, deadLetters);
        config.set(SensorOptions.GROUP_ID, "sensors-" + readings);
        config.set(SensorOptions.OUTPUT_PATH, lake.toUri().toString());
        config.set(SensorOptions.WINDOW, WINDOW);
        config.set(SensorOptions.SILENCE_TIMEOUT, SILENCE_TIMEOUT);
    }

    @Test
    void everyAnomalyIsAlertedOnceAndTheAggregatesAreExact() throws Exception {
        SensorScenario scenario = produceScenario();

        JobExecutionResult result = runJob(SensorMonitoringJob.readingSource(config));

        List<SensorScenario.Injected> injected = assertAlertsMatch(scenario);
        Map<WindowKey, SensorAggregate> expected = assertAggregatesMatch(scenario);
        JobID job = result.getJobID();
        assertThat(sumCounter(job, "tidewayEventsIn")).isEqualTo(RECORDS);
        assertThat(sumCounter(job, "tidewayDeadLetters")).isZero();
        assertThat(sumCounter(job, "tidewayLateEvents")).isZero();
        assertThat(sumCounter(job, "tidewayAlerts")).isEqualTo(injected.size());
        assertThat(histogramCount(job, "tidewayAlertsLatencyMs")).isEqualTo(injected.size());
        assertThat(sumCounter(job, "tidewayAggregates")).isEqualTo(expected.size());
        assertThat(histogramCount(job, "tidewayAggregatesLatencyMs")).isEqualTo(expected.size());
        assertThat(KAFKA.readCommitted(late, Duration.ofSeconds(30))).isEmpty();
    }

    /** The threshold rule on flink-cep (tideway.sensors.engine: CEP): the same alerts. */
    @Test
    void theCepEngineGivesTheSameAlerts() throws Exception {
        config.set(SensorOptions.ENGINE, SensorOptions.Engine.CEP);
        SensorScenario scenario = produceScenario();

        JobExecutionResult result = runJob(SensorMonitoringJob.readingSource(config));

        List<SensorScenario.Injected> injected = assertAlertsMatch(scenario);
        assertThat(sumCounter(result.getJobID(), "tidewayAlerts")).isEqualTo(injected.size());
        assertThat(sumCounter(result.getJobID(), "tidewayLateEvents")).isZero();
    }

    @Test
    void exactlyOnceAfterAFailureMidStream() throws Exception {
        SensorScenario scenario = produceScenario();
        FailOnceAfterCheckpoint.FAILED.set(false);

        runJob(new FailingMidStream(SensorMonitoringJob.readingSource(config), RECORDS / 8));

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
        assertAlertsMatch(scenario);
        assertAggregatesMatch(scenario);
    }

    /**
     * Unbounded, on a 2-partition topic (one partition per source subtask). Partition 1 stops
     * early; windows and silence timers keep firing on partition 0's time (idleness 1 s). Then two
     * late readings, each certainly late: one behind its own partition's watermark (taken out at
     * the source), and one from the idle partition, on time for its partition but behind the job's
     * watermark (taken out at the late gate).
     */
    @Test
    void lateReadingsAreCountedAndKeptAndAnIdlePartitionDoesNotStallWindows() throws Exception {
        String twoPartitions = KafkaBroker.uniqueName("readings-2p");
        KAFKA.createTopic(twoPartitions, 2);
        config.set(SensorOptions.READINGS_TOPIC, twoPartitions);
        config.set(KafkaOptions.BOUNDED, false);
        config.set(EventTimeOptions.IDLENESS, Duration.ofSeconds(1));
        long t0 =
                TimeWindow.getWindowStartWithOffset(
                        Instant.now().minus(Duration.ofMinutes(30)).toEpochMilli(),
                        0,
                        WINDOW.toMillis());
        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
        for (int s = 0; s < 30; s++) {
            first.add(record(twoPartitions, 0, reading("east-" + s, "east-1", t0 + s * 1000L)));
            first.add(
                    record(twoPartitions, 1, reading("west-" + s, "west-1", t0 + s * 1000L + 500)));
        }
        KAFKA.produce(first);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        SensorMonitoringJob.withSource(SensorMonitoringJob.readingSource(config), config, env)
                .build(env);
        JobClient client = env.executeAsync("sensors-unbounded");
        try {
            // Partition 1 says nothing more; partition 0 moves on to t0 + 59 s.
            List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>();
            for (int s = 30; s < 60; s++) {
                second.add(
                        record(twoPartitions, 0, reading("east-" + s, "east-1", t0 + s * 1000L)));
            }
            KAFKA.produce(second);

            // The window [t0+40 s, t0+50 s) closes only on partition 0's watermark (t0+54 s):
            // partition 1's (t0+24.5 s) would hold it back without idleness.
            SensorAggregateCodec aggregateCodec = new SensorAggregateCodec();
            awaitUntil(
                    "window [t0+40s, t0+50s) of east-1",
                    () ->
                            KAFKA.readCommitted(aggregates, Duration.ofSeconds(30)).stream()
                                    .map(r -> aggregateCodec.decode(r.value()).value())
                                    .anyMatch(
                                            a ->
                                                    a.sensorId.equals("east-1")
                                                            && a.windowStart == t0 + 40_000
                                                            && a.count == 10));
            AlertCodec alertCodec = new AlertCodec();
            awaitUntil(
                    "silence of west-1, whose partition went quiet",
                    () ->
                            KAFKA.readCommitted(alerts, Duration.ofSeconds(30)).stream()
                                    .map(r -> alertCodec.decode(r.value()).value())
                                    .anyMatch(a -> a.alertId.equals("silence:west-1:west-29")));
            assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            // Now certainly late: the job's watermark is past t0 + 49 s.
            KAFKA.produce(
                    List.of(
                            record(twoPartitions, 0, reading("late-east", "east-1", t0 + 20_200)),
                            record(twoPartitions, 1, reading("late-west", "west-1", t0 + 31_000))));

            DeadLetterCodec deadLetterCodec = new DeadLetterCodec();
            SensorReadingCodec readingCodec = new SensorReadingCodec();
            Map<String, DeadLetter> lateById = new HashMap<>();
            awaitUntil(
                    "both late readings on the late topic",
                    () -> {
                        lateById.clear();
                        for (var r : KAFKA.readCommitted(late, Duration.ofSeconds(30))) {
                            DeadLetter letter = deadLetterCodec.decode(r.value()).value();
                            lateById.put(
                                    readingCodec.decode(letter.payload).value().eventId, letter);
                        }
                        return lateById.size() >= 2;
                    });
            assertThat(lateById).containsOnlyKeys("late-east", "late-west");
            DeadLetter atSource = lateById.get("late-east");
            assertThat(atSource.sourceTopic).isEqualTo(twoPartitions);
            assertThat(atSource.sourcePartition).isZero();
            assertThat(atSource.reason).contains("behind the watermark");
            assertThat(lateById.get("late-west").reason).contains("late event");
            awaitUntil(
                    "tidewayLateEvents = 2",
                    () -> sumCounter(client.getJobID(), "tidewayLateEvents") == 2);
            assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            JobClients.cancelAndAwaitEnd(client);
        }
    }

    @Test
    void badInputBecomesDeadLettersWithReasonsAndTheJobNeverRestarts() throws Exception {
        // No restarts allowed: any failure fails the job and this test.
        config.setString("restart-strategy.type", "none");
        long now = System.currentTimeMillis() - 60_000;
        SensorReadingCodec codec = new SensorReadingCodec();
        String json =
                new String(
                        codec.encode(
                                new SensorReading(
                                        "ok", "s-1", "plant-a", "pressure", 101.5, "kPa", now)),
                        StandardCharsets.UTF_8);
        byte[] mebibyte = new byte[1024 * 1024];
        Arrays.fill(mebibyte, (byte) ' ');
        mebibyte[0] = '{';
        mebibyte[mebibyte.length - 1] = '}';
        // Sensor-shaped bad input, with the reason each must get; then the shared corpus.
        Map<String, String[]> sensorCases = new LinkedHashMap<>();
        sensorCases.put("invalid JSON", new String[] {"{\"eventId\": \"x\",", "not valid JSON"});
        sensorCases.put(
                "value as text",
                new String[] {
                    json.replace("\"value\":101.5", "\"value\":\"101.5\""),
                    "field 'value' must be a number"
                });
        sensorCases.put(
                "NaN value",
                new String[] {json.replace("\"value\":101.5", "\"value\":NaN"), "not valid JSON"});
        sensorCases.put(
                "huge value",
                new String[] {
                    json.replace("\"value\":101.5", "\"value\":1e12"),
                    "field 'value' must be a finite number"
                });
        sensorCases.put(
                "unknown unit",
                new String[] {
                    json.replace("\"kPa\"", "\"psi\""), "field 'unit' has unknown unit 'psi'"
                });
        sensorCases.put(
                "missing sensor id",
                new String[] {
                    json.replace("\"sensorId\":\"s-1\",", ""), "missing required field 'sensorId'"
                });
        sensorCases.put(
                "a year ahead",
                new String[] {
                    json.replace(
                            Instant.ofEpochMilli(now).toString(),
                            Instant.now().plus(Duration.ofDays(365)).toString()),
                    "in the future"
                });
        sensorCases.put("empty payload", new String[] {"", "empty payload"});
        byte[] key = "s-1".getBytes(StandardCharsets.UTF_8);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        sensorCases.forEach(
                (label, c) -> {
                    records.add(record(readings, 0, key, c[0].getBytes(StandardCharsets.UTF_8)));
                    labels.add(label);
                    reasons.add(c[1]);
                });
        records.add(record(readings, 0, key, mebibyte));
        labels.add("1 MiB payload");
        reasons.add("larger than the limit");
        records.add(record(readings, 0, null, json.getBytes(StandardCharsets.UTF_8)));
        labels.add("no key");
        reasons.add("record has no key");
        for (BadInputCorpus.Entry entry : BadInputCorpus.load()) {
            records.add(record(readings, 0, entry.keyed() ? key : null, entry.payload()));
            labels.add("corpus: " + entry.name());
            reasons.add("");
        }
        int valid = 10;
        for (int i = 0; i < valid; i++) {
            records.add(
                    record(
                            readings,
                            0,
                            new SensorReading(
                                    "ok-" + i,
                                    "s-1",
                                    "plant-a",
                                    "pressure",
                                    101 + i,
                                    "kPa",
                                    now + i)));
        }
        KAFKA.produce(records);

        JobExecutionResult result = runJob(SensorMonitoringJob.readingSource(config));

        DeadLetterCodec deadLetterCodec = new DeadLetterCodec();
        Map<Long, DeadLetter> byOffset = new HashMap<>();
        for (var r : KAFKA.readCommitted(deadLetters, Duration.ofSeconds(60))) {
            DeadLetter letter = deadLetterCodec.decode(r.value()).value();
            byOffset.put(letter.sourceOffset, letter);
        }
        assertThat(byOffset).hasSize(labels.size());
        for (int offset = 0; offset < labels.size(); offset++) {
            String label = labels.get(offset);
            DeadLetter letter = byOffset.get((long) offset);
            assertThat(letter).as(label).isNotNull();
            assertThat(letter.reason).as(label).isNotBlank().contains(reasons.get(offset));
            assertThat(letter.payload).as(label).isEqualTo(records.get(offset).value());
            assertThat(letter.sourceTopic).isEqualTo(readings);
        }
        assertThat(sumCounter(result.getJobID(), "tidewayEventsIn")).isEqualTo(valid);
        assertThat(sumCounter(result.getJobID(), "tidewayDeadLetters")).isEqualTo(labels.size());
        List<SensorAggregate> written = readAggregateFiles();
        assertThat(written.stream().mapToLong(a -> a.count).sum())
                .as("the valid readings still aggregated")
                .isEqualTo(valid);
        assertThat(KAFKA.readCommitted(alerts, Duration.ofSeconds(30))).isEmpty();
    }

    // ---------------------------------------------------------------------------------------

    /**
     * Writes the scenario the way the generator job does (one exactly-once producer, in index
     * order), and checks that every record arrived.
     */
    private SensorScenario produceScenario() throws Exception {
        SensorScenario scenario =
                new SensorScenario(
                        20261122L,
                        RECORDS,
                        3,
                        4,
                        Duration.ofSeconds(1),
                        0.08,
                        2,
                        config.get(SensorOptions.THRESHOLD_COUNT),
                        SILENCE_TIMEOUT,
                        0.2,
                        Duration.ofSeconds(2),
                        Instant.now().minus(Duration.ofHours(1)),
                        SensorOptions.rules(config).thresholds());
        config.set(GeneratorOptions.TOPIC, readings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.fromSource(
                        new DataGeneratorSource<>(
                                scenario::record,
                                RECORDS,
                                RateLimiterStrategy.noOp(),
                                Types.POJO(GeneratedRecord.class)),
                        WatermarkStrategy.noWatermarks(),
                        "generate readings")
                .setParallelism(1)
                .sinkTo(GeneratorJob.kafkaSink(config, env))
                .setParallelism(1);
        env.execute("generate readings");
        assertThat(KAFKA.readCommitted(readings, Duration.ofSeconds(60))).hasSize((int) RECORDS);
        return scenario;
    }

    private JobExecutionResult runJob(EventSource<SensorReading> source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        SensorMonitoringJob.withSource(source, config, env).build(env);
        return env.execute("sensors");
    }

    private List<SensorScenario.Injected> assertAlertsMatch(SensorScenario scenario) {
        List<SensorScenario.Injected> injected = scenario.injectedAnomalies(RECORDS);
        assertThat(injected).hasSizeGreaterThan(15);
        assertThat(injected.stream().map(SensorScenario.Injected::rule).distinct())
                .containsExactlyInAnyOrder("threshold", "jump", "silence", "recovered");
        AlertCodec codec = new AlertCodec();
        List<SensorScenario.Injected> alerted =
                KAFKA.readCommitted(alerts, Duration.ofSeconds(60)).stream()
                        .map(r -> codec.decode(r.value()).value())
                        .map(a -> new SensorScenario.Injected(a.rule, a.key, a.evidence))
                        .toList();
        // Same multiset: every anomaly once, no duplicates, nothing on clean traffic.
        assertThat(alerted).containsExactlyInAnyOrderElementsOf(injected);
        return injected;
    }

    /** Window key of an aggregate. */
    private record WindowKey(String sensorId, String metric, String unit, long windowStart) {
        static WindowKey of(SensorAggregate a) {
            return new WindowKey(a.sensorId, a.metric, a.unit, a.windowStart);
        }
    }

    /** Files and topic both hold exactly the aggregates computed here from the readings. */
    private Map<WindowKey, SensorAggregate> assertAggregatesMatch(SensorScenario scenario)
            throws IOException {
        SensorReadingCodec codec = new SensorReadingCodec();
        Map<WindowKey, List<Double>> values = new HashMap<>();
        Map<WindowKey, String> sites = new HashMap<>();
        for (long i = 0; i < RECORDS; i++) {
            SensorReading r = codec.decode(scenario.record(i).value).value();
            long start = TimeWindow.getWindowStartWithOffset(r.eventTime, 0, WINDOW.toMillis());
            WindowKey key = new WindowKey(r.sensorId, r.metric, r.unit, start);
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(r.value);
            sites.put(key, r.site);
        }
        Map<WindowKey, SensorAggregate> expected = new HashMap<>();
        values.forEach(
                (k, v) ->
                        expected.put(
                                k,
                                new SensorAggregate(
                                        k.sensorId(),
                                        sites.get(k),
                                        k.metric(),
                                        k.unit(),
                                        k.windowStart(),
                                        k.windowStart() + WINDOW.toMillis(),
                                        v.size(),
                                        v.stream().mapToDouble(d -> d).min().orElseThrow(),
                                        v.stream().mapToDouble(d -> d).max().orElseThrow(),
                                        v.stream().mapToDouble(d -> d).average().orElseThrow())));

        SensorAggregateCodec aggregateCodec = new SensorAggregateCodec();
        List<SensorAggregate> fromTopic =
                KAFKA.readCommitted(aggregates, Duration.ofSeconds(60)).stream()
                        .map(r -> aggregateCodec.decode(r.value()).value())
                        .toList();
        assertSameAggregates("topic", fromTopic, expected);
        assertSameAggregates("files", readAggregateFiles(), expected);
        return expected;
    }

    private static void assertSameAggregates(
            String where, List<SensorAggregate> actual, Map<WindowKey, SensorAggregate> expected) {
        assertThat(actual).as(where + ": one aggregate per window").hasSize(expected.size());
        for (SensorAggregate a : actual) {
            SensorAggregate e = expected.get(WindowKey.of(a));
            assertThat(e).as(where + ": unexpected " + a).isNotNull();
            assertThat(a.count).as(where + " " + a).isEqualTo(e.count);
            assertThat(a.min).as(where + " " + a).isEqualTo(e.min);
            assertThat(a.max).as(where + " " + a).isEqualTo(e.max);
            // Summation order differs; the sums agree to the last few bits.
            assertThat(a.mean)
                    .as(where + " " + a)
                    .isCloseTo(e.mean, within(1e-9 * Math.abs(e.mean)));
            assertThat(a.windowEnd).isEqualTo(e.windowEnd);
            assertThat(a.site).isEqualTo(e.site);
        }
    }

    /** Every committed Parquet file under the lake, each row in its event-time partition. */
    private List<SensorAggregate> readAggregateFiles() throws IOException {
        var lakeContents =
                LakeContents.read(
                        lake.toUri().toString(),
                        SensorOutputs.AGGREGATES_TYPE,
                        SensorOutputs.AGGREGATE_SCHEMA);
        lakeContents
                .rowsByPartition()
                .forEach(
                        (partition, rows) ->
                                rows.forEach(
                                        a ->
                                                assertThat(partition)
                                                        .isEqualTo(
                                                                EventTimePartitions.partitionOf(
                                                                        SensorOutputs
                                                                                .AGGREGATES_TYPE,
                                                                        a.eventTime()))));
        return lakeContents.rows();
    }

    private static SensorReading reading(String id, String sensor, long time) {
        return new SensorReading(id, sensor, "plant-a", "temperature", 60.0, "celsius", time);
    }

    private static ProducerRecord<byte[], byte[]> record(
            String topic, int partition, SensorReading r) {
        return record(
                topic,
                partition,
                r.sensorId.getBytes(StandardCharsets.UTF_8),
                new SensorReadingCodec().encode(r));
    }

    private static ProducerRecord<byte[], byte[]> record(
            String topic, int partition, byte[] key, byte[] value) {
        return new ProducerRecord<>(topic, partition, key, value);
    }

    /** Polls (no sleeping in between beyond the consumer's own poll) until true or 60 s pass. */
    private static void awaitUntil(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
        }
    }

    /** The real source, with a map that fails the job once, after a checkpoint completed. */
    private record FailingMidStream(EventSource<SensorReading> inner, long failAfter)
            implements EventSource<SensorReading> {
        @Override
        public DecodedStreams<SensorReading> open(StreamExecutionEnvironment env) {
            DecodedStreams<SensorReading> streams = inner.open(env);
            var events =
                    streams.events()
                            .map(new FailOnceAfterCheckpoint<SensorReading>(failAfter))
                            .returns(Types.POJO(SensorReading.class))
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
