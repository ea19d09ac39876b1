package dev.tideway.jobs.fraud;

import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.rules.language.InvalidRuleException;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
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
                            "A transaction whose event id its card already had is a producer"
                                    + " retry and is dropped (counted in tidewayDuplicates), until"
                                    + " the watermark is this long past the first one's event time;"
                                    + " then the id is forgotten (bounds the state). A retry carries"
                                    + " its original's event time, so this is how late a retry may"
                                    + " come. 0 turns de-duplication off.");

    /** Which engine runs the rules. */
    public enum Engine {
        /** Tideway's rules engine: per-key state machines, rules changeable at runtime. */
        RULES,
        /** Each rule as a flink-cep pattern: the reference; rules change only with a restart. */
        CEP
    }

    public static final ConfigOption<Engine> ENGINE =
            ConfigOptions.key("tideway.fraud.engine")
                    .enumType(Engine.class)
                    .defaultValue(Engine.RULES)
                    .withDescription(
                            "RULES: the Tideway rules engine (rules change at runtime)."
                                    + " CEP: every rule as a flink-cep pattern, the reference the"
                                    + " engine is tested against.");

    public static final ConfigOption<String> RULES_FILE =
            ConfigOptions.key("tideway.fraud.rules-file")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "A rules file ({\"rules\": [...]}, see README 'Tideway rules') to start"
                                    + " with instead of the built-in rules made from the"
                                    + " tideway.fraud.card-testing/declined-burst/impossible-travel"
                                    + " options. Empty: the built-in rules.");

    public static final ConfigOption<String> RULES_TOPIC =
            ConfigOptions.key("tideway.fraud.rules-topic")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Control topic of rule updates (one rule or removal as JSON per"
                                    + " record; scripts/rules publishes them). The rules change"
                                    + " while the job runs. Empty: no runtime changes. Needs"
                                    + " engine RULES.");

    public static final ConfigOption<String> RULE_STATUS_TOPIC =
            ConfigOptions.key("tideway.fraud.rule-status-topic")
                    .stringType()
                    .defaultValue("fraud-rule-status")
                    .withDescription(
                            "Where the job reports what it did with each rule update: ACTIVE,"
                                    + " REMOVED, or REJECTED with the reason. Used when"
                                    + " tideway.fraud.rules-topic is set.");

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
                                DEDUP_WINDOW,
                                ENGINE,
                                RULES_FILE,
                                RULES_TOPIC,
                                RULE_STATUS_TOPIC));
        all.addAll(KafkaOptions.all());
        all.addAll(dev.tideway.rules.RuleEngineOptions.all());
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

    /** The rules to start with: the rules file's, or the built-in ones from the options. */
    public static List<RuleDefinition> ruleDefinitions(ReadableConfig config) {
        String file = config.get(RULES_FILE);
        if (file.isBlank()) {
            return CardRules.defaults(rules(config));
        }
        try {
            return RuleParser.parseFile(java.nio.file.Path.of(file));
        } catch (InvalidRuleException e) {
            throw new IllegalArgumentException(
                    RULES_FILE.key() + " " + file + ": " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(
                    RULES_FILE.key() + " " + file + " cannot be read: " + e.getCause(), e);
        }
    }

    private FraudOptions() {}
}
