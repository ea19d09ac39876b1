package dev.tideway.jobs.sensors;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.files.EventFileSinks;
import dev.tideway.connectors.files.parquet.ParquetRecordSchema;
import dev.tideway.connectors.kafka.KafkaEventSink;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the sensor job writes: aggregates to Parquet files and, optionally, a topic; alerts, late
 * readings and dead letters to topics. All exactly-once.
 *
 * @param aggregateTopic null when {@link SensorOptions#AGGREGATES_TOPIC} is empty
 */
public record SensorOutputs(
        Sink<SensorAggregate> aggregateFiles,
        Sink<SensorAggregate> aggregateTopic,
        Sink<Alert> alerts,
        Sink<DeadLetter> late,
        Sink<DeadLetter> deadLetters) {

    /** The type directory of aggregates under the output path. */
    public static final String AGGREGATES_TYPE = "sensor_aggregates";

    /** The Parquet columns of the aggregate files (README, "The sensor-monitoring job"). */
    public static final ParquetRecordSchema<SensorAggregate> AGGREGATE_SCHEMA =
            ParquetRecordSchema.of("sensor_aggregate", SensorAggregate::new)
                    .string("sensor_id", a -> a.sensorId, (a, v) -> a.sensorId = v)
                    .string("site", a -> a.site, (a, v) -> a.site = v)
                    .string("metric", a -> a.metric, (a, v) -> a.metric = v)
                    .string("unit", a -> a.unit, (a, v) -> a.unit = v)
                    .timestampMillis(
                            "window_start", a -> a.windowStart, (a, v) -> a.windowStart = v)
                    .timestampMillis("window_end", a -> a.windowEnd, (a, v) -> a.windowEnd = v)
                    .int64("count", a -> a.count, (a, v) -> a.count = v)
                    .float64("min", a -> a.min, (a, v) -> a.min = v)
                    .float64("max", a -> a.max, (a, v) -> a.max = v)
                    .float64("mean", a -> a.mean, (a, v) -> a.mean = v);

    /** The outputs wired to files and Kafka topics, from options. */
    public static SensorOutputs fromConfig(ReadableConfig config, StreamExecutionEnvironment env) {
        String aggregatesTopic = config.get(SensorOptions.AGGREGATES_TOPIC);
        return new SensorOutputs(
                EventFileSinks.parquet(
                        config,
                        config.get(SensorOptions.OUTPUT_PATH),
                        AGGREGATES_TYPE,
                        AGGREGATE_SCHEMA,
                        new SensorAggregateCodec()::eventTimeOf,
                        "sensors-aggregates"),
                aggregatesTopic.isBlank()
                        ? null
                        : KafkaEventSink.builder(new SensorAggregateCodec())
                                .options(config)
                                .topic(aggregatesTopic)
                                .transactionalIdPrefix("tideway-sensors-aggregates")
                                .build(env),
                KafkaEventSink.builder(new AlertCodec())
                        .options(config)
                        .topic(config.get(SensorOptions.ALERTS_TOPIC))
                        .transactionalIdPrefix("tideway-sensors-alerts")
                        .build(env),
                deadLetterSink(
                        config, env, config.get(SensorOptions.LATE_TOPIC), "tideway-sensors-late"),
                deadLetterSink(
                        config,
                        env,
                        config.get(SensorOptions.DEAD_LETTER_TOPIC),
                        "tideway-sensors-dead-letters"));
    }

    private static Sink<DeadLetter> deadLetterSink(
            ReadableConfig config, StreamExecutionEnvironment env, String topic, String prefix) {
        return KafkaEventSink.builder(new DeadLetterCodec())
                .options(config)
                .topic(topic)
                .transactionalIdPrefix(prefix)
                .build(env);
    }
}
