package dev.tideway.jobs.fraud;

import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.time.EventTimeOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Every option of the fraud-detection job: topics, and each rule's thresholds and windows. */
public final class FraudOptions {

    public static final ConfigOption<String> TRANSACTIONS_TOPIC =
            ConfigOptions.key("tideway.fraud.transactions-topic")
                    .stringType()
                    .defaultValue("transactions")
                    .withDescription("Topic of card transactions (JSON, keyed by card id).");

    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("tideway.fraud.alerts-topic")
                    .stringType()
                    .defaultValue("fraud-alerts")
                    .withDescription("Topic the alerts are written to, exactly once.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("tideway.fraud.dead-letter-topic")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription("Topic for undecodable, invalid and late transactions.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("tideway.fraud.group-id")
                    .stringType()
                    .defaultValue("tideway-fraud")
                    .withDescription("Kafka consumer group of the job.");

    public static final ConfigOption<String> SMALL_AMOUNT =
            ConfigOptions.key("tideway.fraud.card-testing.small-amount")
                    .stringType()
                    .defaultValue("2.00")
                    .withDescription("Card testing: a charge of at most this is a probe.");

    public static final ConfigOption<String> LARGE_AMOUNT =
            ConfigOptions.key("tideway.fraud.card-testing.large-amount")
                    .stringType()
                    .defaultValue("500.00")
                    .withDescription("Card testing: a charge of at least this after a probe.");

    public static final ConfigOption<Duration> CARD_TESTING_WINDOW =
            ConfigOptions.key("tideway.fraud.card-testing.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("Card testing: the large charge must follow within this.");

    public static final ConfigOption<Integer> DECLINES =
            ConfigOptions.key("tideway.fraud.declined-burst.count")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Declined burst: this many declines on one card ...");

    public static final ConfigOption<Duration> DECLINES_WINDOW =
            ConfigOptions.key("tideway.fraud.declined-burst.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("... within this long raise an alert.");

    public static final ConfigOption<Double> MAX_SPEED_KMH =
            ConfigOptions.key("tideway.fraud.impossible-travel.max-speed-kmh")
                    .doubleType()
                    .defaultValue(900.0)
                    .withDescription(
                            "Impossible travel: faster than this between two consecutive"
                                    + " transactions (an airliner cruises at about 900 km/h).");

    public static final ConfigOption<Double> MIN_DISTANCE_KM =
            ConfigOptions.key("tideway.fraud.impossible-travel.min-distance-km")
                    .doubleType()
                    .defaultValue(100.0)
                    .withDescription(
                            "Impossible travel: shorter hops are ignored, because terminal"
                                    + " locations are approximate and clocks skew.");

    public static final ConfigOption<Duration> TRAVEL_MEMORY =
            ConfigOptions.key("tideway.fraud.impossible-travel.memory")
                    .durationType()
                    .defaultValue(Duration.ofHours(6))
                    .withDescription(
                            "Impossible travel: a card's last location is forgotten after this"
                                    + " long without a transaction (bounds the state).");

    public static final ConfigOption<Duration> DEDUP_WINDOW =
            ConfigOptions.key("tideway.fraud.dedup-window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A transaction whose event id was seen within this long is a producer"
                                    + " retry and is dropped (counted in tidewayDuplicates). 0 turns"
                                    + " de-duplication off. Bounds the state: ids expire after it.");

    /** Every option this job accepts, for validating the command line. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all =
                new java.util.ArrayList<>(
                        List.of(
                                TRANSACTIONS_TOPIC,
                                ALERTS_TOPIC,
                                DEAD_LETTER_TOPIC,
                                GROUP_ID,
                                SMALL_AMOUNT,
                                LARGE_AMOUNT,
                                CARD_TESTING_WINDOW,
                                DECLINES,
                                DECLINES_WINDOW,
                                MAX_SPEED_KMH,
                                MIN_DISTANCE_KM,
                                TRAVEL_MEMORY,
                                DEDUP_WINDOW));
        all.addAll(KafkaOptions.all());
        all.addAll(EventTimeOptions.all());
        return all;
    }

    /** The rules' settings, checked. */
    public static FraudRules rules(ReadableConfig config) {
        return new FraudRules(
                new BigDecimal(config.get(SMALL_AMOUNT)),
                new BigDecimal(config.get(LARGE_AMOUNT)),
                config.get(CARD_TESTING_WINDOW),
                config.get(DECLINES),
                config.get(DECLINES_WINDOW),
                config.get(MAX_SPEED_KMH),
                config.get(MIN_DISTANCE_KM),
                config.get(TRAVEL_MEMORY),
                config.get(DEDUP_WINDOW));
    }

    private FraudOptions() {}
}
