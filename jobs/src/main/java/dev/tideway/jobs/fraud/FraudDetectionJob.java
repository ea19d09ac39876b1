package dev.tideway.jobs.fraud;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.ControlTopicSource;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.connectors.kafka.EventSource;
import dev.tideway.connectors.kafka.KafkaEventSink;
import dev.tideway.connectors.kafka.KafkaEventSource;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.kafka.KafkaPreflight;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.support.DropDuplicates;
import dev.tideway.jobs.support.LateEventToDeadLetter;
import dev.tideway.jobs.support.NoRuleUpdates;
import dev.tideway.jobs.support.ResultMetrics;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.RuleStatus;
import dev.tideway.rules.RuleStatusCodec;
import dev.tideway.rules.cep.CepReference;
import dev.tideway.rules.language.RuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Fraud detection on card transactions, keyed by card. The rules (card testing, declined burst,
 * impossible travel by default; any rules file otherwise) run on the Tideway rules engine, or on
 * flink-cep with {@code tideway.fraud.engine: CEP}. With a rules topic, rules change while the job
 * runs and every update is reported on the rule-status topic. Alerts go to Kafka exactly once; bad
 * and late input to the dead-letter topic.
 */
public final class FraudDetectionJob {
    public static final String JOB_NAME = "tideway-fraud-detection";

    /** Transactions that reached a rule behind its watermark. */
    static final OutputTag<CardTransaction> LATE_TRANSACTIONS =
            new OutputTag<>("late-transactions", Types.POJO(CardTransaction.class));

    /** Where rule updates come from and where their outcome is reported. */
    public interface RuleControl {
        DataStream<String> updates(StreamExecutionEnvironment env);

        Sink<RuleStatus> statuses();
    }

    private final EventSource<CardTransaction> transactions;
    private final Sink<Alert> alerts;
    private final Sink<DeadLetter> deadLetters;
    private final FraudRules settings;
    private final List<RuleDefinition> rules;
    private final FraudOptions.Engine engine;
    private final RuleControl control;

    /**
     * @param control rule updates and statuses, or null for rules fixed until a restart
     */
    public FraudDetectionJob(
            EventSource<CardTransaction> transactions,
            Sink<Alert> alerts,
            Sink<DeadLetter> deadLetters,
            FraudRules settings,
            List<RuleDefinition> rules,
            FraudOptions.Engine engine,
            RuleControl control) {
        if (control != null && engine != FraudOptions.Engine.RULES) {
            throw new IllegalArgumentException(
                    FraudOptions.RULES_TOPIC.key()
                            + " needs "
                            + FraudOptions.ENGINE.key()
                            + ": RULES; flink-cep patterns cannot change while the job runs");
        }
        this.transactions = transactions;
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.rules = List.copyOf(rules);
        this.engine = engine;
        this.control = control;
    }

    /**
     * Whether the job runs with object reuse: with the rules engine, unless pipeline.object-reuse
     * is set. No operator of that pipeline keeps an input object (the decoder makes a new event per
     * record, the encoding map and the engine keep bytes, alerts and dead letters are new objects),
     * so the copy Flink otherwise makes between chained operators only costs: 5.6 % of the source
     * task, the job's limit, and 4-6 points of the baseline (BENCHMARKS.md, 2026-12-07, eighth
     * session). Not for flink-cep, which keeps events as objects in heap state backends.
     */
    static boolean reusesObjects(FraudOptions.Engine engine, ReadableConfig config) {
        return config.getOptional(PipelineOptions.OBJECT_REUSE)
                .orElse(engine == FraudOptions.Engine.RULES);
    }

    /** Adds the job's pipeline to the environment. */
    public void build(StreamExecutionEnvironment env) {
        if (reusesObjects(engine, env.getConfiguration())) {
            env.getConfig().enableObjectReuse();
        }
        DecodedStreams<CardTransaction> input = this.transactions.open(env);
        DataStream<CardTransaction> transactions = input.events();
        // The rules engine drops retries itself, in each card's state; flink-cep needs an
        // operator keyed by event id in front of it.
        if (engine == FraudOptions.Engine.CEP && !settings.dedupWindow().isZero()) {
            transactions =
                    transactions
                            .keyBy(tx -> tx.eventId)
                            .process(
                                    new DropDuplicates<CardTransaction>(settings.dedupWindow()),
                                    Types.POJO(CardTransaction.class))
                            .uid("fraud-drop-duplicates")
                            .name("drop duplicate transactions");
        }
        KeyedStream<CardTransaction, String> cards = transactions.keyBy(tx -> tx.cardId);

        DataStream<Alert> found;
        DataStream<CardTransaction> lateAtRules;
        if (engine == FraudOptions.Engine.RULES) {
            DataStream<String> updates =
                    control != null
                            ? control.updates(env)
                            : NoRuleUpdates.stream(env, "fraud-no-rule-updates");
            SingleOutputStreamOperator<Alert> engineOut =
                    RuleEngine.detect(
                                    cards,
                                    updates,
                                    CardTransactionFields.SCHEMA,
                                    rules,
                                    LATE_TRANSACTIONS,
                                    settings.dedupWindow())
                            .uid("fraud-rules-engine")
                            .name("rules engine: " + ruleIds());
            if (control != null) {
                engineOut
                        .getSideOutput(RuleEngine.RULE_STATUS)
                        .sinkTo(control.statuses())
                        .uid("fraud-rule-status-sink")
                        .name("kafka: rule status");
            }
            found = engineOut;
            lateAtRules = engineOut.getSideOutput(LATE_TRANSACTIONS);
        } else {
            found = null;
            lateAtRules = null;
            for (RuleDefinition rule : rules) {
                SingleOutputStreamOperator<Alert> cep =
                        CepReference.detect(
                                        cards,
                                        CompiledRule.compile(rule, CardTransactionFields.SCHEMA),
                                        CardTransactionFields.SCHEMA,
                                        LATE_TRANSACTIONS)
                                .uid("fraud-cep-" + rule.id())
                                .name("rule (cep): " + rule.id());
                found = found == null ? cep : found.union(cep);
                DataStream<CardTransaction> late = cep.getSideOutput(LATE_TRANSACTIONS);
                lateAtRules = lateAtRules == null ? late : lateAtRules.union(late);
            }
        }

        found.map(new ResultMetrics<>("tidewayAlerts", new AlertCodec()), Types.POJO(Alert.class))
                .uid("fraud-count-alerts")
                .name("alert metrics")
                .sinkTo(alerts)
                .uid("fraud-alerts-sink")
                .name("kafka: alerts");

        DataStream<DeadLetter> lateDeadLetters =
                lateAtRules
                        .map(
                                new LateEventToDeadLetter<>(new CardTransactionCodec()),
                                Types.POJO(DeadLetter.class))
                        .uid("fraud-late-to-dead-letters")
                        .name("late transactions");
        input.deadAndLate()
                .union(lateDeadLetters)
                .sinkTo(deadLetters)
                .uid("fraud-dead-letters-sink")
                .name("kafka: dead letters");
    }

    private String ruleIds() {
        return rules.stream().map(RuleDefinition::id).collect(Collectors.joining(", "));
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
            if (!config.get(FraudOptions.RULES_TOPIC).isBlank()) {
                KafkaPreflight.check(
                        config,
                        Map.of(
                                FraudOptions.RULES_TOPIC.key(),
                                config.get(FraudOptions.RULES_TOPIC),
                                FraudOptions.RULE_STATUS_TOPIC.key(),
                                config.get(FraudOptions.RULE_STATUS_TOPIC)),
                        true);
            }
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
                FraudOptions.rules(config),
                FraudOptions.ruleDefinitions(config),
                config.get(FraudOptions.ENGINE),
                ruleControl(config, env));
    }

    /** The rules topic and the status sink, or null when no rules topic is set. */
    public static RuleControl ruleControl(ReadableConfig config, StreamExecutionEnvironment env) {
        String topic = config.get(FraudOptions.RULES_TOPIC);
        if (topic.isBlank()) {
            return null;
        }
        Sink<RuleStatus> statuses =
                KafkaEventSink.builder(new RuleStatusCodec())
                        .options(config)
                        .topic(config.get(FraudOptions.RULE_STATUS_TOPIC))
                        .transactionalIdPrefix("tideway-fraud-rule-status")
                        .build(env);
        return new RuleControl() {
            @Override
            public DataStream<String> updates(StreamExecutionEnvironment e) {
                return ControlTopicSource.open(
                        e,
                        config,
                        topic,
                        config.get(FraudOptions.GROUP_ID) + "-rules",
                        "fraud-rule-updates");
            }

            @Override
            public Sink<RuleStatus> statuses() {
                return statuses;
            }
        };
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
