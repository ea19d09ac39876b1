package dev.tideway.jobs.bench;

import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.jobs.archive.ArchiveOptions;
import dev.tideway.jobs.archive.LakeArchiveJob;
import dev.tideway.jobs.clicks.ClickOptions;
import dev.tideway.jobs.clicks.ClickstreamJob;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import dev.tideway.jobs.sensors.SensorMonitoringJob;
import dev.tideway.jobs.sensors.SensorOptions;
import dev.tideway.jobs.testing.FailOnceAfterCheckpoint;
import dev.tideway.rules.RuleEngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The jobs a bench run measures, by name. A job is a kind (which pipeline, reading which feed) plus
 * extra options, so a variant of a job is one more entry with other options: the fraud job's
 * engines are compared that way.
 */
public final class BenchJobs {
    /**
     * The card-testing rule of flink-conf/rules/fraud-rules.json alone (the bench runs in jobs/).
     */
    private static final Path CARD_TESTING_RULE =
            Path.of("src/test/resources/bench/card-testing-rule.json").toAbsolutePath();

    /** The impossible-travel rule alone: every card holds a partial match after each event. */
    private static final Path IMPOSSIBLE_TRAVEL_RULE =
            Path.of("src/test/resources/bench/impossible-travel-rule.json").toAbsolutePath();

    /** Which pipeline, and the feed it reads. */
    public enum Kind {
        FRAUD(Feed.TRANSACTIONS),
        SENSORS(Feed.SENSORS),
        CLICKS(Feed.CLICKS),
        /** The lake archive of the transactions feed alone (its other topics are left blank). */
        ARCHIVE(Feed.TRANSACTIONS),
        /**
         * The fraud job's source, decode and shuffle by card without rules ({@link FlinkFloor}).
         */
        FLINK_FLOOR(Feed.TRANSACTIONS);

        public final Feed feed;

        Kind(Feed feed) {
            this.feed = feed;
        }
    }

    /**
     * @param options extra options of this variant, over the bench's own settings
     * @param byDefault measured when --jobs does not name the jobs
     */
    public record BenchJob(
            String name, Kind kind, Map<String, String> options, String what, boolean byDefault) {}

    /**
     * Every job and variant this build can run. The fraud job on flink-cep is measured by the
     * engines section, on a topic small enough for it; it and the CEP variants of the sensor and
     * click jobs can also be named with --jobs.
     */
    public static List<BenchJob> all() {
        return List.of(
                new BenchJob(
                        "fraud",
                        Kind.FRAUD,
                        Map.of(),
                        "fraud detection, default options (engine "
                                + FraudOptions.ENGINE.defaultValue()
                                + ")",
                        true),
                new BenchJob(
                        "fraud-cep",
                        Kind.FRAUD,
                        // Unaligned checkpoints: with aligned ones, barriers queue behind the
                        // backpressured flink-cep operator, the first checkpoint expires (5 min)
                        // and the job restarts from the start of the topic, again and again.
                        Map.of(
                                FraudOptions.ENGINE.key(),
                                FraudOptions.Engine.CEP.name(),
                                "execution.checkpointing.unaligned.enabled",
                                "true"),
                        "fraud detection, "
                                + FraudOptions.ENGINE.key()
                                + "=CEP (flink-cep), unaligned checkpoints",
                        false),
                new BenchJob(
                        "fraud-no-cache",
                        Kind.FRAUD,
                        Map.of(RuleEngineOptions.STATE_CACHE_KEYS.key(), "0"),
                        "fraud detection, engine without its state cache ("
                                + RuleEngineOptions.STATE_CACHE_KEYS.key()
                                + "=0)",
                        false),
                new BenchJob(
                        "fraud-no-dedup",
                        Kind.FRAUD,
                        Map.of(FraudOptions.DEDUP_WINDOW.key(), "0 s"),
                        "fraud detection without de-duplication ("
                                + FraudOptions.DEDUP_WINDOW.key()
                                + "=0)",
                        false),
                new BenchJob(
                        "fraud-card-testing",
                        Kind.FRAUD,
                        Map.of(
                                FraudOptions.RULES_FILE.key(),
                                CARD_TESTING_RULE.toString(),
                                FraudOptions.DEDUP_WINDOW.key(),
                                "0 s"),
                        "fraud detection with the card-testing rule alone and no"
                                + " de-duplication: the work of flink-card-testing, exact out of"
                                + " order",
                        false),
                new BenchJob(
                        "fraud-impossible-travel",
                        Kind.FRAUD,
                        Map.of(
                                FraudOptions.RULES_FILE.key(),
                                IMPOSSIBLE_TRAVEL_RULE.toString(),
                                FraudOptions.DEDUP_WINDOW.key(),
                                "0 s"),
                        "fraud detection with the impossible-travel rule alone and no"
                                + " de-duplication (a state read and write for every event)",
                        false),
                new BenchJob(
                        "fraud-no-bloom",
                        Kind.FRAUD,
                        Map.of("state.backend.rocksdb.use-bloom-filter", "false"),
                        "fraud detection without RocksDB bloom filters",
                        false),
                new BenchJob(
                        "fraud-g1",
                        Kind.FRAUD,
                        Map.of("env.java.opts.taskmanager", "-XX:+UseG1GC"),
                        "fraud detection on the G1 collector instead of the parallel one",
                        false),
                new BenchJob(
                        "fraud-no-object-reuse",
                        Kind.FRAUD,
                        Map.of("pipeline.object-reuse", "false"),
                        "fraud detection without object reuse (a copy between chained operators;"
                                + " the job reuses objects unless told)",
                        false),
                new BenchJob(
                        "fraud-wm20",
                        Kind.FRAUD,
                        Map.of("pipeline.auto-watermark-interval", "20 ms"),
                        "fraud detection with watermarks every 20 ms instead of 200 ms",
                        false),
                new BenchJob(
                        "fraud-checkpoints-60s",
                        Kind.FRAUD,
                        Map.of("execution.checkpointing.interval", "60 s"),
                        "fraud detection with checkpoints every 60 s instead of 10 s (what the"
                                + " engine's write-back at each checkpoint costs)",
                        false),
                new BenchJob(
                        "fraud-buffers-32k",
                        Kind.FRAUD,
                        Map.of("taskmanager.memory.segment-size", "32kb"),
                        "fraud detection with Flink's 32 KB network buffers instead of"
                                + " config.yaml's 1 MB",
                        false),
                new BenchJob(
                        "fraud-buffers-256k",
                        Kind.FRAUD,
                        Map.of("taskmanager.memory.segment-size", "256kb"),
                        "fraud detection with 256 KB network buffers (config.yaml's until"
                                + " 2026-12-07) instead of 1 MB",
                        false),
                new BenchJob(
                        "fraud-buffers-512k",
                        Kind.FRAUD,
                        Map.of("taskmanager.memory.segment-size", "512kb"),
                        "fraud detection with 512 KB network buffers instead of"
                                + " config.yaml's 1 MB",
                        false),
                new BenchJob(
                        "fraud-heap",
                        Kind.FRAUD,
                        Map.of("state.backend.type", "hashmap"),
                        "fraud detection on the heap state backend (what RocksDB costs)",
                        false),
                new BenchJob(
                        "flink-floor",
                        Kind.FLINK_FLOOR,
                        Map.of(),
                        "the fraud job's source, decode and shuffle by card, no rules: Flink's"
                                + " own cost",
                        false),
                new BenchJob(
                        "flink-floor-state",
                        Kind.FLINK_FLOOR,
                        Map.of(FlinkFloor.KEYED_WORK.key(), "COUNT"),
                        "as flink-floor, and one keyed-state read and write per event",
                        false),
                new BenchJob(
                        "flink-card-testing",
                        Kind.FLINK_FLOOR,
                        Map.of(FlinkFloor.KEYED_WORK.key(), "CARD_TESTING"),
                        "as flink-floor, and the card-testing rule as a hand-written state"
                                + " machine (arrival order only)",
                        false),
                new BenchJob(
                        "flink-all-rules",
                        Kind.FLINK_FLOOR,
                        Map.of(FlinkFloor.KEYED_WORK.key(), "ALL_RULES"),
                        "as flink-floor, and the three fraud rules as one hand-written state"
                                + " machine (arrival order only, no de-duplication)",
                        false),
                new BenchJob(
                        "flink-all-rules-heap",
                        Kind.FLINK_FLOOR,
                        Map.of(
                                FlinkFloor.KEYED_WORK.key(),
                                "ALL_RULES",
                                "state.backend.type",
                                "hashmap"),
                        "flink-all-rules on the heap state backend",
                        false),
                new BenchJob(
                        "sensors",
                        Kind.SENSORS,
                        Map.of(),
                        "sensor monitoring (windows, rules, Parquet), default options",
                        true),
                new BenchJob(
                        "sensors-cep",
                        Kind.SENSORS,
                        Map.of(SensorOptions.ENGINE.key(), SensorOptions.Engine.CEP.name()),
                        "sensor monitoring, " + SensorOptions.ENGINE.key() + "=CEP",
                        false),
                new BenchJob(
                        "clicks",
                        Kind.CLICKS,
                        Map.of(),
                        "clickstream (sessions, funnels, carts, Parquet), default options",
                        true),
                new BenchJob(
                        "clicks-cep",
                        Kind.CLICKS,
                        Map.of(ClickOptions.ENGINE.key(), ClickOptions.Engine.CEP.name()),
                        "clickstream, " + ClickOptions.ENGINE.key() + "=CEP",
                        false),
                new BenchJob(
                        "archive",
                        Kind.ARCHIVE,
                        Map.of(),
                        "lake archive of transactions (Parquet, compaction)",
                        true));
    }

    static List<String> defaultNames() {
        return all().stream().filter(BenchJob::byDefault).map(BenchJob::name).toList();
    }

    static BenchJob named(String name) {
        return all().stream()
                .filter(j -> j.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown job '"
                                                + name
                                                + "'; known: "
                                                + all().stream().map(BenchJob::name).toList()));
    }

    static void check(String name) {
        named(name);
    }

    /**
     * Points the job at its input topic and at fresh output topics and folders of this run.
     *
     * @return the output topics the caller must create
     */
    static List<String> configure(
            BenchJob job, Configuration config, String input, String run, Path work) {
        config.addAll(Configuration.fromMap(job.options()));
        String lake = work.resolve("lake").toUri().toString();
        List<String> outputs = new ArrayList<>();
        switch (job.kind()) {
            case FRAUD, FLINK_FLOOR -> {
                config.set(FraudOptions.TRANSACTIONS_TOPIC, input);
                config.set(FraudOptions.ALERTS_TOPIC, add(outputs, run + "-alerts"));
                config.set(FraudOptions.DEAD_LETTER_TOPIC, add(outputs, run + "-dead-letters"));
                config.set(FraudOptions.GROUP_ID, run);
            }
            case SENSORS -> {
                config.set(SensorOptions.READINGS_TOPIC, input);
                config.set(SensorOptions.ALERTS_TOPIC, add(outputs, run + "-alerts"));
                config.set(SensorOptions.AGGREGATES_TOPIC, add(outputs, run + "-aggregates"));
                config.set(SensorOptions.LATE_TOPIC, add(outputs, run + "-late"));
                config.set(SensorOptions.DEAD_LETTER_TOPIC, add(outputs, run + "-dead-letters"));
                config.set(SensorOptions.GROUP_ID, run);
                config.set(SensorOptions.OUTPUT_PATH, lake);
            }
            case CLICKS -> {
                config.set(ClickOptions.CLICKS_TOPIC, input);
                config.set(ClickOptions.SESSIONS_TOPIC, add(outputs, run + "-sessions"));
                config.set(ClickOptions.FUNNELS_TOPIC, add(outputs, run + "-funnels"));
                config.set(ClickOptions.ALERTS_TOPIC, add(outputs, run + "-alerts"));
                config.set(ClickOptions.LATE_TOPIC, add(outputs, run + "-late"));
                config.set(ClickOptions.DEAD_LETTER_TOPIC, add(outputs, run + "-dead-letters"));
                config.set(ClickOptions.GROUP_ID, run);
                config.set(ClickOptions.OUTPUT_PATH, lake);
            }
            case ARCHIVE -> {
                config.set(ArchiveOptions.LAKE_PATH, lake);
                config.set(ArchiveOptions.TRANSACTIONS_TOPIC, input);
                config.set(ArchiveOptions.SENSOR_READINGS_TOPIC, "");
                config.set(ArchiveOptions.CLICKS_TOPIC, "");
                config.set(ArchiveOptions.DEAD_LETTER_TOPIC, "");
                config.set(ArchiveOptions.GROUP_ID, run);
            }
        }
        return outputs;
    }

    /**
     * Adds the job's pipeline, as its main() would.
     *
     * @param failAfter 0, or fail the job once after this many records per subtask (once a
     *     checkpoint completed): the recovery run's injected failure, fraud job only
     */
    static void build(
            BenchJob job, Configuration config, StreamExecutionEnvironment env, long failAfter) {
        if (failAfter > 0 && job.kind() != Kind.FRAUD) {
            throw new IllegalArgumentException("failure injection is wired for the fraud job only");
        }
        switch (job.kind()) {
            case FRAUD -> {
                if (failAfter > 0) {
                    FraudDetectionJob.withSource(
                                    failingOnce(
                                            FraudDetectionJob.transactionSource(config), failAfter),
                                    config,
                                    env)
                            .build(env);
                } else {
                    FraudDetectionJob.fromConfig(config, env).build(env);
                }
            }
            case SENSORS -> SensorMonitoringJob.fromConfig(config, env).build(env);
            case CLICKS -> ClickstreamJob.fromConfig(config, env).build(env);
            case ARCHIVE -> LakeArchiveJob.fromConfig(config).build(env);
            case FLINK_FLOOR -> FlinkFloor.build(config, env);
        }
    }

    /** The real source, then a map that fails the job once (the way the ITCases inject it). */
    private static EventSource<CardTransaction> failingOnce(
            EventSource<CardTransaction> source, long failAfter) {
        return env -> {
            var streams = source.open(env);
            return streams.withEvents(
                    streams.events()
                            .map(new FailOnceAfterCheckpoint<CardTransaction>(failAfter))
                            .returns(Types.POJO(CardTransaction.class))
                            .uid("bench-fail-once")
                            .name("bench: fail once"));
        };
    }

    private static String add(List<String> topics, String topic) {
        topics.add(topic);
        return topic;
    }

    private BenchJobs() {}
}
