package dev.tideway.jobs.generator;

import dev.tideway.connectors.kafka.KafkaOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Options of the generator: which feed, how fast, and what it injects. */
public final class GeneratorOptions {

    /** What the generator writes, and the topic it writes to unless told otherwise. */
    public enum Feed {
        TRANSACTIONS("transactions"),
        SENSORS("sensor-readings"),
        CLICKS("clicks");

        public final String defaultTopic;

        Feed(String defaultTopic) {
            this.defaultTopic = defaultTopic;
        }
    }

    public static final ConfigOption<Feed> FEED =
            ConfigOptions.key("tideway.generator.feed")
                    .enumType(Feed.class)
                    .defaultValue(Feed.TRANSACTIONS)
                    .withDescription(
                            "TRANSACTIONS (card transactions with injected frauds), SENSORS (sensor"
                                    + " readings with threshold runs, jumps and silences) or"
                                    + " CLICKS (click events with abandoned carts).");

    public static final ConfigOption<String> TOPIC =
            ConfigOptions.key("tideway.generator.topic")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Topic the generated records are written to; default: the feed's"
                                    + " (transactions, sensor-readings or clicks).");

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

    public static final ConfigOption<Integer> SITES =
            ConfigOptions.key("tideway.generator.sensors.sites")
                    .intType()
                    .defaultValue(3)
                    .withDescription("SENSORS: number of sites.");

    public static final ConfigOption<Integer> SENSORS_PER_SITE =
            ConfigOptions.key("tideway.generator.sensors.per-site")
                    .intType()
                    .defaultValue(10)
                    .withDescription("SENSORS: sensors at each site.");

    public static final ConfigOption<Double> ANOMALY_RATIO =
            ConfigOptions.key("tideway.generator.sensors.anomaly-ratio")
                    .doubleType()
                    .defaultValue(0.02)
                    .withDescription(
                            "SENSORS: chance that a sensor carries a threshold run or a jump in"
                                    + " an epoch.");

    public static final ConfigOption<Integer> SILENCE_EVERY =
            ConfigOptions.key("tideway.generator.sensors.silence-every")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "SENSORS: every this many epochs one sensor falls silent, then"
                                    + " recovers; 0 never.");

    public static final ConfigOption<Integer> USERS =
            ConfigOptions.key("tideway.generator.clicks.users")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription("CLICKS: number of users.");

    public static final ConfigOption<Double> ABANDON_RATIO =
            ConfigOptions.key("tideway.generator.clicks.abandon-ratio")
                    .doubleType()
                    .defaultValue(0.05)
                    .withDescription("CLICKS: share of 8-click blocks that abandon a cart.");

    public static final ConfigOption<Double> PURCHASE_RATIO =
            ConfigOptions.key("tideway.generator.clicks.purchase-ratio")
                    .doubleType()
                    .defaultValue(0.1)
                    .withDescription("CLICKS: share of 8-click blocks that end in a purchase.");

    /** The topic to write: the option if set, else the feed's own. */
    public static String topic(ReadableConfig config) {
        return config.getOptional(TOPIC).orElse(config.get(FEED).defaultTopic);
    }

    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all =
                new java.util.ArrayList<>(
                        List.of(
                                FEED,
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
                                SITES,
                                SENSORS_PER_SITE,
                                ANOMALY_RATIO,
                                SILENCE_EVERY,
                                USERS,
                                ABANDON_RATIO,
                                PURCHASE_RATIO,
                                // The sensor feed injects what the sensor job's rules report.
                                dev.tideway.jobs.sensors.SensorOptions.THRESHOLDS,
                                dev.tideway.jobs.sensors.SensorOptions.THRESHOLD_COUNT,
                                dev.tideway.jobs.sensors.SensorOptions.SILENCE_TIMEOUT));
        all.addAll(KafkaOptions.all());
        return all;
    }

    private GeneratorOptions() {}
}
