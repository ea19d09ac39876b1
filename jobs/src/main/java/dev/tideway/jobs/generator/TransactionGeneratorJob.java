package dev.tideway.jobs.generator;

import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.KafkaEventSink;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.kafka.KafkaPreflight;
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
 * Writes realistic card transactions to Kafka at a set rate, with seeded frauds, out-of-order and
 * malformed records (see {@link TransactionScenario}).
 */
public final class TransactionGeneratorJob {
    public static final String JOB_NAME = "tideway-generator";

    private final TransactionScenario scenario;
    private final long count;
    private final double rate;
    private final Sink<GeneratedRecord> sink;

    /**
     * @param count records to write, 0 for unbounded
     * @param rate records per second, 0 for as fast as possible
     */
    public TransactionGeneratorJob(
            TransactionScenario scenario, long count, double rate, Sink<GeneratedRecord> sink) {
        this.scenario = scenario;
        this.count = count;
        this.rate = rate;
        this.sink = sink;
    }

    public void build(StreamExecutionEnvironment env) {
        records(env)
                .sinkTo(sink)
                .uid("generator-kafka-sink")
                .name("kafka: transactions")
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
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "generate transactions")
                .uid("generator-source")
                .setParallelism(1);
    }

    public static TransactionScenario scenario(ReadableConfig config) {
        return new TransactionScenario(
                config.get(GeneratorOptions.SEED),
                config.get(GeneratorOptions.COUNT),
                config.get(GeneratorOptions.CARDS),
                config.get(GeneratorOptions.FRAUD_RATIO),
                config.get(GeneratorOptions.OUT_OF_ORDER_RATIO),
                config.get(GeneratorOptions.MAX_DELAY),
                config.get(GeneratorOptions.MALFORMED_RATIO),
                config.get(GeneratorOptions.DECLINES_PER_BURST),
                Instant.now().minus(config.get(GeneratorOptions.START_TIME_AGO)),
                config.get(GeneratorOptions.RATE));
    }

    /** The job wired to Kafka, from options. */
    public static TransactionGeneratorJob fromConfig(
            ReadableConfig config, StreamExecutionEnvironment env) {
        if (config.get(KafkaOptions.PREFLIGHT)) {
            KafkaPreflight.check(
                    config,
                    Map.of(GeneratorOptions.TOPIC.key(), config.get(GeneratorOptions.TOPIC)),
                    true);
        }
        Sink<GeneratedRecord> sink = kafkaSink(config, env);
        return new TransactionGeneratorJob(
                scenario(config),
                config.get(GeneratorOptions.COUNT),
                config.get(GeneratorOptions.RATE),
                sink);
    }

    /** The exactly-once Kafka sink of the generated records. */
    public static Sink<GeneratedRecord> kafkaSink(
            ReadableConfig config, StreamExecutionEnvironment env) {
        return KafkaEventSink.builder(RawRecords::new)
                .options(config)
                .topic(config.get(GeneratorOptions.TOPIC))
                .transactionalIdPrefix("tideway-generator")
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
        private final TransactionScenario scenario;

        ScenarioFunction(TransactionScenario scenario) {
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
