package dev.tideway.connectors.kafka;

import dev.tideway.common.codec.EventCodec;
import dev.tideway.connectors.time.EventTimeOptions;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka topic of JSON events, decoded inside the source. Watermarks are generated per Kafka
 * partition (bounded out-of-orderness plus idleness), so one slow or quiet partition is handled the
 * way Flink intends. Undecodable or invalid records become dead letters.
 *
 * <pre>{@code
 * EventSource<CardTransaction> source =
 *     KafkaEventSource.builder(new CardTransactionCodec())
 *         .options(config).topic("transactions").groupId("tideway-fraud").uid("transactions")
 *         .build();
 * }</pre>
 */
public final class KafkaEventSource<T> implements EventSource<T> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
    private final Builder<T> spec;

    private KafkaEventSource(Builder<T> spec) {
        this.spec = spec;
    }

    public static <T> Builder<T> builder(EventCodec<T> codec) {
        return new Builder<>(codec);
    }

    @Override
    public DecodedStreams<T> open(StreamExecutionEnvironment env) {
        KafkaSourceBuilder<DecodedRecord<T>> kafka =
                KafkaSource.<DecodedRecord<T>>builder()
                        .setBootstrapServers(spec.options.get(KafkaOptions.BOOTSTRAP_SERVERS))
                        .setTopics(spec.topic)
                        .setGroupId(spec.groupId)
                        .setStartingOffsets(startingOffsets())
                        .setDeserializer(
                                new DecodingDeserializer<>(
                                        spec.codec, spec.options.get(KafkaOptions.REQUIRE_KEY)))
                        // Upstream exactly-once producers: never read aborted or open transactions.
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .setProperty(
                                "max.partition.fetch.bytes",
                                String.valueOf(
                                        spec.options
                                                .get(KafkaOptions.SOURCE_FETCH_PER_PARTITION)
                                                .getBytes()));
        boolean bounded = spec.options.get(KafkaOptions.BOUNDED);
        if (bounded) {
            kafka.setBounded(OffsetsInitializer.latest());
        }
        Duration outOfOrderness = spec.options.get(EventTimeOptions.MAX_OUT_OF_ORDERNESS);
        Duration idleness = spec.options.get(EventTimeOptions.IDLENESS);
        WatermarkStrategy<DecodedRecord<T>> watermarks =
                WatermarkStrategy.<DecodedRecord<T>>forBoundedOutOfOrderness(outOfOrderness)
                        .withIdleness(idleness)
                        .withTimestampAssigner(new EventTimeOf<>(spec.codec));
        Duration drift = spec.options.get(EventTimeOptions.MAX_PARTITION_DRIFT);
        if (drift != null && bounded) {
            // FLINK-39728: in flink-connector-kafka 5.0.0-2.2 a partition that reaches its end
            // while the alignment check pauses it fails the source ("No current assignment for
            // partition"), and the job restarts. Only a bounded read has partitions that end.
            LOG.warn(
                    "{} is ignored for the bounded read of {}: flink-connector-kafka 5.0.0-2.2"
                            + " fails a source whose partition ends while alignment pauses it"
                            + " (FLINK-39728). Unbounded reads align.",
                    EventTimeOptions.MAX_PARTITION_DRIFT.key(),
                    spec.topic);
        } else if (drift != null) {
            // One group per source: its partitions keep pace with each other, not with other
            // sources of the job.
            watermarks =
                    watermarks.withWatermarkAlignment(
                            spec.uid + "-partitions",
                            drift,
                            spec.options.get(EventTimeOptions.DRIFT_CHECK_INTERVAL));
        }

        SingleOutputStreamOperator<T> events =
                env.fromSource(kafka.build(), watermarks, "kafka: " + spec.topic)
                        .uid(spec.uid + "-kafka-source")
                        .process(new SplitDeadLetters<>(spec.codec, outOfOrderness))
                        .returns(Types.POJO(spec.codec.eventType()))
                        .uid(spec.uid + "-split-dead-letters")
                        .name("decode " + spec.topic);
        return new DecodedStreams<>(
                events,
                events.getSideOutput(SplitDeadLetters.DEAD_LETTERS),
                events.getSideOutput(SplitDeadLetters.LATE_EVENTS));
    }

    private OffsetsInitializer startingOffsets() {
        switch (spec.options.get(KafkaOptions.STARTING_OFFSETS)) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            case COMMITTED:
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    /**
     * Event time of valid events. Dead letters get the smallest timestamp, which never advances the
     * partition's watermark: a bad record must not move time.
     */
    private static final class EventTimeOf<T>
            implements SerializableTimestampAssigner<DecodedRecord<T>> {
        private final EventCodec<T> codec;

        EventTimeOf(EventCodec<T> codec) {
            this.codec = codec;
        }

        @Override
        public long extractTimestamp(DecodedRecord<T> record, long kafkaTimestamp) {
            return record.event != null ? codec.eventTimeOf(record.event) : Long.MIN_VALUE;
        }
    }

    /** Smaller fetches would cost a broker round trip for every few records. */
    private static final String MIN_FETCH = "4kb";

    private static final MemorySize MIN_FETCH_PER_PARTITION = MemorySize.parse(MIN_FETCH);

    /** Collects and checks the settings; {@link #build()} fails on anything missing. */
    public static final class Builder<T> {
        private final EventCodec<T> codec;
        private ReadableConfig options = new org.apache.flink.configuration.Configuration();
        private String topic;
        private String groupId;
        private String uid;

        private Builder(EventCodec<T> codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /** Reads {@link KafkaOptions} and {@link EventTimeOptions}. */
        public Builder<T> options(ReadableConfig options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder<T> topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder<T> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Stable prefix of the operator uids: changing it orphans the source's state. */
        public Builder<T> uid(String uid) {
            this.uid = uid;
            return this;
        }

        public KafkaEventSource<T> build() {
            require(topic, "topic", "the Kafka topic to read");
            require(groupId, "groupId", "the consumer group; one per job");
            require(uid, "uid", "a stable operator uid prefix");
            String servers = options.get(KafkaOptions.BOOTSTRAP_SERVERS);
            if (servers == null || servers.isBlank()) {
                throw new IllegalArgumentException(
                        "No Kafka brokers configured: set "
                                + KafkaOptions.BOOTSTRAP_SERVERS.key()
                                + " to host:port");
            }
            if (options.get(EventTimeOptions.MAX_OUT_OF_ORDERNESS).isNegative()
                    || options.get(EventTimeOptions.IDLENESS).isNegative()) {
                throw new IllegalArgumentException(
                        EventTimeOptions.MAX_OUT_OF_ORDERNESS.key()
                                + " and "
                                + EventTimeOptions.IDLENESS.key()
                                + " must not be negative");
            }
            Duration drift = options.get(EventTimeOptions.MAX_PARTITION_DRIFT);
            if (drift != null && (drift.isZero() || drift.isNegative())) {
                throw new IllegalArgumentException(
                        EventTimeOptions.MAX_PARTITION_DRIFT.key()
                                + " is "
                                + drift
                                + ": set a positive duration, such as 60 s, or leave it unset"
                                + " for no alignment");
            }
            Duration check = options.get(EventTimeOptions.DRIFT_CHECK_INTERVAL);
            if (check.isZero() || check.isNegative()) {
                throw new IllegalArgumentException(
                        EventTimeOptions.DRIFT_CHECK_INTERVAL.key()
                                + " is "
                                + check
                                + ": set a positive duration (the default is 100 ms)");
            }
            MemorySize fetch = options.get(KafkaOptions.SOURCE_FETCH_PER_PARTITION);
            if (fetch.getBytes() < MIN_FETCH_PER_PARTITION.getBytes()
                    || fetch.getBytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        KafkaOptions.SOURCE_FETCH_PER_PARTITION.key()
                                + " is "
                                + fetch.toHumanReadableString()
                                + ": set it between "
                                + MIN_FETCH
                                + " and 2gb (Kafka's default is 1mb)");
            }
            return new KafkaEventSource<>(this);
        }
    }

    static void require(String value, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "Kafka source/sink needs " + name + " (" + what + "); none was given");
        }
    }
}
