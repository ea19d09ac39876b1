package dev.tideway.jobs.fraud;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaEventSink;
import dev.tideway.connectors.kafka.KafkaEventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.kafka.KafkaPreflight;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.support.DropDuplicates;
import dev.tideway.jobs.support.LateEventToDeadLetter;
import dev.tideway.jobs.support.ResultMetrics;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Fraud detection on card transactions. Three rules, each keyed by card on RocksDB state: card
 * testing (flink-cep), declined burst and impossible travel (event-time ordered state machines).
 * Alerts go to Kafka exactly once; bad and late input to the dead-letter topic.
 */
public final class FraudDetectionJob {
    public static final String JOB_NAME = "tideway-fraud-detection";

    /** Transactions that reached a rule behind its watermark. */
    static final OutputTag<CardTransaction> LATE_TRANSACTIONS =
            new OutputTag<>("late-transactions", Types.POJO(CardTransaction.class));

    private final EventSource<CardTransaction> transactions;
    private final Sink<Alert> alerts;
    private final Sink<DeadLetter> deadLetters;
    private final FraudRules rules;

    public FraudDetectionJob(
            EventSource<CardTransaction> transactions,
            Sink<Alert> alerts,
            Sink<DeadLetter> deadLetters,
            FraudRules rules) {
        this.transactions = transactions;
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        this.rules = rules;
    }

    /** Adds the job's pipeline to the environment. */
    public void build(StreamExecutionEnvironment env) {
        DecodedStreams<CardTransaction> input = this.transactions.open(env);
        DataStream<CardTransaction> transactions = input.events();
        if (!rules.dedupWindow().isZero()) {
            transactions =
                    transactions
                            .keyBy(tx -> tx.eventId)
                            .process(
                                    new DropDuplicates<CardTransaction>(rules.dedupWindow()),
                                    Types.POJO(CardTransaction.class))
                            .uid("fraud-drop-duplicates")
                            .name("drop duplicate transactions");
        }
        KeyedStream<CardTransaction, String> cards = transactions.keyBy(tx -> tx.cardId);

        var cardTesting = CardTestingRule.detect(cards, rules).uid("fraud-card-testing");
        cardTesting.name("rule: card testing (cep)");
        var declinedBurst =
                cards.process(new DeclinedBurstRule(rules), Types.POJO(Alert.class))
                        .uid("fraud-declined-burst")
                        .name("rule: declined burst");
        var impossibleTravel =
                cards.process(new ImpossibleTravelRule(rules), Types.POJO(Alert.class))
                        .uid("fraud-impossible-travel")
                        .name("rule: impossible travel");

        cardTesting
                .union(declinedBurst, impossibleTravel)
                .map(
                        new ResultMetrics<>("tidewayAlerts", new AlertCodec()),
                        Types.POJO(Alert.class))
                .uid("fraud-count-alerts")
                .name("alert metrics")
                .sinkTo(alerts)
                .uid("fraud-alerts-sink")
                .name("kafka: alerts");

        DataStream<DeadLetter> lateAtRules =
                cardTesting
                        .getSideOutput(LATE_TRANSACTIONS)
                        .union(
                                declinedBurst.getSideOutput(LATE_TRANSACTIONS),
                                impossibleTravel.getSideOutput(LATE_TRANSACTIONS))
                        .map(
                                new LateEventToDeadLetter<>(new CardTransactionCodec()),
                                Types.POJO(DeadLetter.class))
                        .uid("fraud-late-to-dead-letters")
                        .name("late transactions");
        input.deadAndLate()
                .union(lateAtRules)
                .sinkTo(deadLetters)
                .uid("fraud-dead-letters-sink")
                .name("kafka: dead letters");
    }

    /** The job wired to real Kafka topics, from options. */
    public static FraudDetectionJob fromConfig(
            ReadableConfig config, StreamExecutionEnvironment env) {
        if (config.get(KafkaOptions.PREFLIGHT)) {
            KafkaPreflight.check(
                    config,
                    Map.of(
                            FraudOptions.TRANSACTIONS_TOPIC.key(),
                            config.get(FraudOptions.TRANSACTIONS_TOPIC),
                            FraudOptions.ALERTS_TOPIC.key(),
                            config.get(FraudOptions.ALERTS_TOPIC),
                            FraudOptions.DEAD_LETTER_TOPIC.key(),
                            config.get(FraudOptions.DEAD_LETTER_TOPIC)),
                    true);
        }
        return withSource(transactionSource(config), config, env);
    }

    /** The job reading the given source, with its Kafka sinks and rules from options. */
    public static FraudDetectionJob withSource(
            EventSource<CardTransaction> transactions,
            ReadableConfig config,
            StreamExecutionEnvironment env) {
        return new FraudDetectionJob(
                transactions,
                alertSink(config, env),
                deadLetterSink(config, env),
                FraudOptions.rules(config));
    }

    public static EventSource<CardTransaction> transactionSource(ReadableConfig config) {
        return KafkaEventSource.builder(
                        new CardTransactionCodec(EventTimeOptions.codecSettings(config)))
                .options(config)
                .topic(config.get(FraudOptions.TRANSACTIONS_TOPIC))
                .groupId(config.get(FraudOptions.GROUP_ID))
                .uid("fraud-transactions")
                .build();
    }

    public static Sink<Alert> alertSink(ReadableConfig config, StreamExecutionEnvironment env) {
        return KafkaEventSink.builder(new AlertCodec())
                .options(config)
                .topic(config.get(FraudOptions.ALERTS_TOPIC))
                .transactionalIdPrefix("tideway-fraud-alerts")
                .build(env);
    }

    public static Sink<DeadLetter> deadLetterSink(
            ReadableConfig config, StreamExecutionEnvironment env) {
        return KafkaEventSink.builder(new DeadLetterCodec())
                .options(config)
                .topic(config.get(FraudOptions.DEAD_LETTER_TOPIC))
                .transactionalIdPrefix("tideway-fraud-dead-letters")
                .build(env);
    }

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, FraudOptions.all());
        StreamExecutionEnvironment env = JobConfig.environment(args, config);
        fromConfig(config, env).build(env);
        env.execute(JOB_NAME);
    }
}
