package dev.tideway.jobs.generator;

import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.KafkaEventSink;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.kafka.KafkaPreflight;
import dev.tideway.jobs.sensors.SensorOptions;
import dev.tideway.jobs.sensors.SensorRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a seeded feed to Kafka at a set rate, exactly once: card transactions with frauds, sensor
 * readings with anomalies and silences, or clicks with abandoned carts (see {@link
 * TransactionScenario}, {@link SensorScenario}, {@link ClickScenario}), with out-of-order and
 * (transactions) malformed records.
 */
public final class GeneratorJob {
    public static final String JOB_NAME = "tideway-generator";

    private final GeneratorOptions.Feed feed;
    private final Scenario scenario;
    private final long count;
    private final double rate;
    private final Sink<GeneratedRecord> sink;

    /**
     * @param count records to write, 0 for unbounded
     * @param rate records per second, 0 for as fast as possible
     */
    public GeneratorJob(
            GeneratorOptions.Feed feed,
            Scenario scenario,
            long count,
            double rate,
            Sink<GeneratedRecord> sink) {
        this.feed = feed;
        this.scenario = scenario;
        this.count = count;
        this.rate = rate;
        this.sink = sink;
    }

    public void build(StreamExecutionEnvironment env) {
        records(env)
                .sinkTo(sink)
                .uid(uidPrefix(feed) + "-kafka-sink")
                .name("kafka: " + feed.name().toLowerCase(java.util.Locale.ROOT))
                .setParallelism(1);
    }

    /** The generated records, before the sink. */
    public DataStream<GeneratedRecord> records(StreamExecutionEnvironment env) {
        DataGeneratorSource<GeneratedRecord> source =
                new DataGeneratorSource<>(
                        new ScenarioFunction(scenario),
                        count > 0 ? count : Long.MAX_VALUE,
                        rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                        Types.POJO(GeneratedRecord.class));
        // Parallelism 1: event times follow the record index, so records must be written in
        // index order, by one producer, or per-partition time order breaks beyond the bound.
        return env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "generate " + feed.name().toLowerCase(java.util.Locale.ROOT))
                .uid(uidPrefix(feed) + "-source")
                .setParallelism(1);
    }

    /**
     * Transactions keep the first release's uids (savepoints restore); each other feed has its own,
     * so several generators can run in one job (the demo).
     */
    static String uidPrefix(GeneratorOptions.Feed feed) {
        return feed == GeneratorOptions.Feed.TRANSACTIONS
                ? "generator"
                : "generator-" + feed.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The scenario of the configured feed. */
    public static Scenario scenario(ReadableConfig config) {
        switch (config.get(GeneratorOptions.FEED)) {
            case SENSORS:
                return sensorScenario(config);
            case CLICKS:
                return clickScenario(config);
            case TRANSACTIONS:
            default:
                return transactionScenario(config);
        }
    }

    public static TransactionScenario transactionScenario(ReadableConfig config) {
        return new TransactionScenario(
                config.get(GeneratorOptions.SEED),
                config.get(GeneratorOptions.COUNT),
                config.get(GeneratorOptions.CARDS),
                config.get(GeneratorOptions.FRAUD_RATIO),
                config.get(GeneratorOptions.OUT_OF_ORDER_RATIO),
                config.get(GeneratorOptions.MAX_DELAY),
                config.get(GeneratorOptions.MALFORMED_RATIO),
                config.get(GeneratorOptions.DECLINES_PER_BURST),
                start(config),
                config.get(GeneratorOptions.RATE));
    }

    /**
     * Sensor readings whose event time keeps pace with the wall clock: each sensor reports every
     * (sensors / rate) seconds. Out-of-order delays are capped where the scenario needs them.
     */
    public static SensorScenario sensorScenario(ReadableConfig config) {
        int sites = config.get(GeneratorOptions.SITES);
        int perSite = config.get(GeneratorOptions.SENSORS_PER_SITE);
        double rate = config.get(GeneratorOptions.RATE);
        Duration period =
                Duration.ofMillis(
                        rate > 0 ? Math.max(1, Math.round(1000.0 * sites * perSite / rate)) : 1000);
        Duration maxDelay = config.get(GeneratorOptions.MAX_DELAY);
        Duration scenarioLimit = period.multipliedBy(SensorScenario.MARGIN - 1);
        SensorRules rules = SensorOptions.rules(config);
        return new SensorScenario(
                config.get(GeneratorOptions.SEED),
                config.get(GeneratorOptions.COUNT),
                sites,
                perSite,
                period,
                config.get(GeneratorOptions.ANOMALY_RATIO),
                config.get(GeneratorOptions.SILENCE_EVERY),
                rules.thresholdCount(),
                rules.silenceTimeout(),
                config.get(GeneratorOptions.OUT_OF_ORDER_RATIO),
                maxDelay.compareTo(scenarioLimit) < 0 ? maxDelay : scenarioLimit,
                start(config),
                rules.thresholdsView());
    }

    public static ClickScenario clickScenario(ReadableConfig config) {
        return new ClickScenario(
                config.get(GeneratorOptions.SEED),
                config.get(GeneratorOptions.COUNT),
                config.get(GeneratorOptions.USERS),
                config.get(GeneratorOptions.ABANDON_RATIO),
                config.get(GeneratorOptions.PURCHASE_RATIO),
                config.get(GeneratorOptions.OUT_OF_ORDER_RATIO),
                start(config),
                config.get(GeneratorOptions.RATE));
    }

    private static Instant start(ReadableConfig config) {
        return Instant.now().minus(config.get(GeneratorOptions.START_TIME_AGO));
    }

    /** The job wired to Kafka, from options. */
    public static GeneratorJob fromConfig(ReadableConfig config, StreamExecutionEnvironment env) {
        String topic = GeneratorOptions.topic(config);
        if (config.get(KafkaOptions.PREFLIGHT)) {
            KafkaPreflight.check(config, Map.of(GeneratorOptions.TOPIC.key(), topic), true);
        }
        GeneratorOptions.Feed feed = config.get(GeneratorOptions.FEED);
        return new GeneratorJob(
                feed,
                scenario(config),
                config.get(GeneratorOptions.COUNT),
                config.get(GeneratorOptions.RATE),
                kafkaSink(config, env));
    }

    /** The exactly-once Kafka sink of the generated records. */
    public static Sink<GeneratedRecord> kafkaSink(
            ReadableConfig config, StreamExecutionEnvironment env) {
        return KafkaEventSink.builder(RawRecords::new)
                .options(config)
                .topic(GeneratorOptions.topic(config))
                .transactionalIdPrefix("tideway-" + uidPrefix(config.get(GeneratorOptions.FEED)))
                .build(env);
    }

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, GeneratorOptions.all());
        StreamExecutionEnvironment env = JobConfig.environment(args, config);
        fromConfig(config, env).build(env);
        env.execute(JOB_NAME);
    }

    /** The record at each index. */
    private static final class ScenarioFunction
            implements GeneratorFunction<Long, GeneratedRecord> {
        private final Scenario scenario;

        ScenarioFunction(Scenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public GeneratedRecord map(Long index) {
            return scenario.record(index);
        }
    }

    /** Writes the generated bytes as they are; the producer stamps the wall-clock time. */
    private record RawRecords(String topic)
            implements KafkaRecordSerializationSchema<GeneratedRecord> {
        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                GeneratedRecord record, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, null, record.key, record.value);
        }
    }
}
