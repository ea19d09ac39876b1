package dev.tideway.connectors.kafka;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** How Tideway jobs reach Kafka. Every job accepts these, as --key value or in config.yaml. */
public final class KafkaOptions {

    /** Where a source starts when it has no committed offsets, or always. */
    public enum StartingOffsets {
        /** Committed offsets of the consumer group; earliest where there are none. */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** What a Kafka sink promises. */
    public enum Delivery {
        /** Transactions committed on checkpoints; readers use read_committed. */
        EXACTLY_ONCE,
        /** Flushed on checkpoints; a restart may write some records twice. Lower latency. */
        AT_LEAST_ONCE
    }

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("tideway.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers, host:port[,host:port...].");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            ConfigOptions.key("tideway.kafka.starting-offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.COMMITTED)
                    .withDescription(
                            "Where sources start without a checkpoint: COMMITTED (the group's"
                                    + " offsets, else earliest), EARLIEST or LATEST.");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("tideway.kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop sources at the offsets that are latest when the job starts"
                                    + " (backfills, tests, benchmarks). Unbounded by default.");

    public static final ConfigOption<Boolean> REQUIRE_KEY =
            ConfigOptions.key("tideway.kafka.require-key")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Send records whose Kafka key is missing or differs from the event's"
                                    + " key (card, sensor, user) to dead letters: per-key order"
                                    + " in Kafka holds only for keyed records.");

    public static final ConfigOption<MemorySize> SOURCE_FETCH_PER_PARTITION =
            ConfigOptions.key("tideway.kafka.source.fetch-per-partition")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1mb"))
                    .withDescription(
                            "Most bytes a source fetches from one partition at a time (Kafka's"
                                    + " max.partition.fetch.bytes), at least 4 KB. A source"
                                    + " reading several partitions gets one partition's fetch,"
                                    + " then the next's, and its watermark is the minimum over"
                                    + " them: catching up on a backlog, the watermark trails the"
                                    + " newest event by up to a fetch's worth of event time."
                                    + " Smaller fetches interleave the partitions more finely"
                                    + " and keep less fetched data on the heap, at the cost of"
                                    + " more fetch requests.");

    public static final ConfigOption<Delivery> DELIVERY =
            ConfigOptions.key("tideway.kafka.sink.delivery")
                    .enumType(Delivery.class)
                    .defaultValue(Delivery.EXACTLY_ONCE)
                    .withDescription("EXACTLY_ONCE (transactional) or AT_LEAST_ONCE.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("tideway.kafka.sink.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Kafka transaction timeout of exactly-once sinks. Must exceed the"
                                    + " checkpoint interval plus the time a restart takes, and"
                                    + " must not exceed the broker's transaction.max.timeout.ms.");

    public static final ConfigOption<Duration> BROKER_MAX_TRANSACTION_TIMEOUT =
            ConfigOptions.key("tideway.kafka.broker.max-transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "The brokers' transaction.max.timeout.ms (Kafka's default: 15 min)."
                                    + " Sinks are checked against it when the job is built.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("tideway.kafka.sink.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the transactional ids of this job's sinks; defaults to"
                                    + " the job's name. Two jobs must never share one.");

    public static final ConfigOption<Boolean> PREFLIGHT =
            ConfigOptions.key("tideway.kafka.preflight")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Before submitting, check that the brokers answer, the topics exist and"
                                    + " the brokers accept the transaction timeout; fail fast with"
                                    + " the option to fix otherwise.");

    private KafkaOptions() {}

    /** Every Kafka option, for the option lists of jobs that read and write Kafka. */
    public static java.util.List<ConfigOption<?>> all() {
        return java.util.List.of(
                BOOTSTRAP_SERVERS,
                STARTING_OFFSETS,
                BOUNDED,
                REQUIRE_KEY,
                SOURCE_FETCH_PER_PARTITION,
                DELIVERY,
                TRANSACTION_TIMEOUT,
                BROKER_MAX_TRANSACTION_TIMEOUT,
                TRANSACTIONAL_ID_PREFIX,
                PREFLIGHT);
    }
}
