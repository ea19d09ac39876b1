package dev.tideway.connectors.kafka;

import dev.tideway.common.codec.EventCodec;
import dev.tideway.connectors.kafka.KafkaOptions.Delivery;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Kafka sink of JSON events, exactly-once unless at-least-once is asked for explicitly. The
 * builder checks, before the job starts, what would otherwise fail at runtime or lose data: a
 * transactional sink without checkpointing, a transaction timeout the broker refuses, a timeout so
 * short that transactions expire before their checkpoint commits them.
 */
public final class KafkaEventSink {

    /** Producer request limit: dead letters carry whole rejected records, base64-encoded. */
    static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    /** A transaction must outlive at least one checkpoint interval plus a restart. */
    static final Duration MIN_RESTART_ALLOWANCE = Duration.ofMinutes(1);

    private KafkaEventSink() {}

    /** A sink of events, written as JSON by the codec, keyed by the event's key. */
    public static <T> Builder<T> builder(EventCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        return new Builder<>(topic -> new EventRecordSerializer<>(topic, codec));
    }

    /** A sink of records that serialize themselves (the generator's raw bytes, say). */
    public static <T> Builder<T> builder(SerializerForTopic<T> serializer) {
        return new Builder<>(Objects.requireNonNull(serializer, "serializer"));
    }

    /** Makes the record serializer once the topic is known. */
    @FunctionalInterface
    public interface SerializerForTopic<T> extends java.io.Serializable {
        KafkaRecordSerializationSchema<T> forTopic(String topic);
    }

    /** Collects and checks the settings; {@link #build} fails with the option to change. */
    public static final class Builder<T> {
        private final SerializerForTopic<T> serializer;
        private ReadableConfig options = new org.apache.flink.configuration.Configuration();
        private String topic;
        private String transactionalIdPrefix;
        private final Properties producerProperties = new Properties();

        private Builder(SerializerForTopic<T> serializer) {
            this.serializer = serializer;
        }

        /** Reads {@link KafkaOptions}. */
        public Builder<T> options(ReadableConfig options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder<T> topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * Transactional ids start with this; unique per job and sink. {@link
         * KafkaOptions#TRANSACTIONAL_ID_PREFIX}, when set, is put in front of it.
         */
        public Builder<T> transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        public Builder<T> producerProperty(String key, String value) {
            producerProperties.setProperty(key, value);
            return this;
        }

        /** Builds the sink, checking it against the environment's checkpointing. */
        public KafkaSink<T> build(StreamExecutionEnvironment env) {
            KafkaEventSource.require(topic, "topic", "the Kafka topic to write");
            Delivery delivery = options.get(KafkaOptions.DELIVERY);
            Properties producer = new Properties();
            producer.setProperty("max.request.size", String.valueOf(MAX_REQUEST_BYTES));
            producer.putAll(producerProperties);

            var kafka =
                    KafkaSink.<T>builder()
                            .setBootstrapServers(options.get(KafkaOptions.BOOTSTRAP_SERVERS))
                            .setRecordSerializer(serializer.forTopic(topic));
            if (delivery == Delivery.EXACTLY_ONCE) {
                KafkaEventSource.require(
                        transactionalIdPrefix,
                        "transactionalIdPrefix",
                        "unique per job and sink, for exactly-once");
                Duration timeout = options.get(KafkaOptions.TRANSACTION_TIMEOUT);
                checkExactlyOnce(env, timeout);
                String prefix =
                        options.getOptional(KafkaOptions.TRANSACTIONAL_ID_PREFIX)
                                .map(p -> p + "-" + transactionalIdPrefix)
                                .orElse(transactionalIdPrefix);
                producer.setProperty("transaction.timeout.ms", String.valueOf(timeout.toMillis()));
                kafka.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(prefix);
            } else {
                kafka.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
            }
            return kafka.setKafkaProducerConfig(producer).build();
        }

        private void checkExactlyOnce(StreamExecutionEnvironment env, Duration timeout) {
            String deliveryHint =
                    " (or set " + KafkaOptions.DELIVERY.key() + ": AT_LEAST_ONCE to give it up)";
            if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
                throw new IllegalStateException(
                        "The exactly-once Kafka sink for topic '"
                                + topic
                                + "' commits only on checkpoints, but checkpointing is off: set"
                                + " execution.checkpointing.interval (flink-conf/config.yaml)"
                                + deliveryHint);
            }
            Duration interval =
                    Duration.ofMillis(env.getCheckpointConfig().getCheckpointInterval());
            Duration brokerMax = options.get(KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT);
            if (timeout.compareTo(brokerMax) > 0) {
                throw new IllegalArgumentException(
                        KafkaOptions.TRANSACTION_TIMEOUT.key()
                                + " is "
                                + timeout
                                + ", above the brokers' transaction.max.timeout.ms of "
                                + brokerMax
                                + ": the broker would refuse every transaction. Lower "
                                + KafkaOptions.TRANSACTION_TIMEOUT.key()
                                + ", or raise transaction.max.timeout.ms on the brokers and set "
                                + KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT.key()
                                + " to match.");
            }
            Duration needed = interval.plus(MIN_RESTART_ALLOWANCE);
            if (timeout.compareTo(needed) < 0) {
                throw new IllegalArgumentException(
                        KafkaOptions.TRANSACTION_TIMEOUT.key()
                                + " is "
                                + timeout
                                + ", but a transaction must survive a checkpoint interval ("
                                + interval
                                + ", execution.checkpointing.interval) plus a restart (at least "
                                + MIN_RESTART_ALLOWANCE
                                + "), else the broker aborts it before it is committed and"
                                + " output is lost. Raise "
                                + KafkaOptions.TRANSACTION_TIMEOUT.key()
                                + " to at least "
                                + needed
                                + " or shorten execution.checkpointing.interval.");
            }
        }
    }
}
