package dev.tideway.jobs.generator;

import dev.tideway.connectors.kafka.KafkaOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the transaction generator. */
public final class GeneratorOptions {

    public static final ConfigOption<String> TOPIC =
            ConfigOptions.key("tideway.generator.topic")
                    .stringType()
                    .defaultValue("transactions")
                    .withDescription("Topic the generated transactions are written to.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("tideway.generator.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Same seed, same events: tests know what was injected.");

    public static final ConfigOption<Long> COUNT =
            ConfigOptions.key("tideway.generator.count")
                    .longType()
                    .defaultValue(0L)
                    .withDescription("Number of records to write; 0 writes until stopped.");

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("tideway.generator.rate")
                    .doubleType()
                    .defaultValue(1000.0)
                    .withDescription(
                            "Records per second; 0 is as fast as possible. Event times advance"
                                    + " by 1/rate per record (1 ms when the rate is 0).");

    public static final ConfigOption<Integer> CARDS =
            ConfigOptions.key("tideway.generator.cards")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Number of distinct cards in clean traffic.");

    public static final ConfigOption<Double> FRAUD_RATIO =
            ConfigOptions.key("tideway.generator.fraud-ratio")
                    .doubleType()
                    .defaultValue(0.01)
                    .withDescription(
                            "Share of 8-record blocks that carry one injected fraud (card"
                                    + " testing, declined burst or impossible travel).");

    public static final ConfigOption<Double> OUT_OF_ORDER_RATIO =
            ConfigOptions.key("tideway.generator.out-of-order-ratio")
                    .doubleType()
                    .defaultValue(0.05)
                    .withDescription(
                            "Share of records written out of event-time order (by at most"
                                    + " tideway.generator.max-delay).");

    public static final ConfigOption<Duration> MAX_DELAY =
            ConfigOptions.key("tideway.generator.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How far behind its neighbours an out-of-order record may be. Keep"
                                    + " it below tideway.event-time.max-out-of-orderness, or"
                                    + " the records become late.");

    public static final ConfigOption<Double> MALFORMED_RATIO =
            ConfigOptions.key("tideway.generator.malformed-ratio")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription("Share of records that are malformed or invalid.");

    public static final ConfigOption<Integer> DECLINES_PER_BURST =
            ConfigOptions.key("tideway.generator.declines-per-burst")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Declines in an injected burst; match tideway.fraud.declined-burst.count.");

    public static final ConfigOption<Duration> START_TIME_AGO =
            ConfigOptions.key("tideway.generator.start-time-ago")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Event time of the first record, as a time before now (for bounded"
                                    + " runs that should end before the wall clock).");

    public static List<ConfigOption<?>> all() {
        return List.of(
                TOPIC,
                SEED,
                COUNT,
                RATE,
                CARDS,
                FRAUD_RATIO,
                OUT_OF_ORDER_RATIO,
                MAX_DELAY,
                MALFORMED_RATIO,
                DECLINES_PER_BURST,
                START_TIME_AGO,
                KafkaOptions.BOOTSTRAP_SERVERS,
                KafkaOptions.DELIVERY,
                KafkaOptions.TRANSACTION_TIMEOUT,
                KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT,
                KafkaOptions.TRANSACTIONAL_ID_PREFIX,
                KafkaOptions.PREFLIGHT);
    }

    private GeneratorOptions() {}
}
