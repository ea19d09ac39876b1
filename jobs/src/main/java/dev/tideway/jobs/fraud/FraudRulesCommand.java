package dev.tideway.jobs.fraud;

import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.RuleStatus;
import dev.tideway.rules.RuleStatusCodec;
import dev.tideway.rules.language.InvalidRuleException;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What {@code scripts/rules} runs: check a rules file against the fraud job's fields, publish it
 * (or a removal) to the rules topic, and show what the job did with each update.
 */
public final class FraudRulesCommand {
    private static final String USAGE =
            "usage: scripts/rules validate FILE\n"
                    + "       scripts/rules publish FILE [--topic fraud-rules]\n"
                    + "       scripts/rules remove RULE_ID [--topic fraud-rules]\n"
                    + "       scripts/rules status [--status-topic fraud-rule-status]\n"
                    + "options: --bootstrap-servers HOST:PORT (default localhost:9092)";

    private FraudRulesCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            System.exit(args.length < 1 ? 2 : 0);
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--bootstrap-servers", "localhost:9092");
        options.put(
                "--topic",
                FraudOptions.RULES_TOPIC.defaultValue().isEmpty()
                        ? "fraud-rules"
                        : FraudOptions.RULES_TOPIC.defaultValue());
        options.put("--status-topic", FraudOptions.RULE_STATUS_TOPIC.defaultValue());
        for (int i = 1; i < args.length; i++) {
            if (options.containsKey(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else if (args[i].startsWith("--")) {
                fail("unknown option " + args[i] + "\n" + USAGE);
            } else {
                positional.add(args[i]);
            }
        }
        switch (args[0]) {
            case "validate":
                validate(file(positional));
                break;
            case "publish":
                publish(options, validate(file(positional)));
                break;
            case "remove":
                if (positional.size() != 1) {
                    fail(USAGE);
                }
                publish(
                        options,
                        List.of(
                                RuleParser.parse(
                                        "{\"id\":\"" + positional.get(0) + "\",\"remove\":true}")));
                break;
            case "status":
                status(options);
                break;
            default:
                fail("unknown command " + args[0] + "\n" + USAGE);
        }
    }

    private static Path file(List<String> positional) {
        if (positional.size() != 1) {
            fail(USAGE);
        }
        Path file = Path.of(positional.get(0));
        if (!Files.isRegularFile(file)) {
            fail("no rules file " + file.toAbsolutePath());
        }
        return file;
    }

    /**
     * Parses and compiles every rule against the card-transaction fields; exits on the first error.
     */
    static List<RuleDefinition> validate(Path file) {
        List<RuleDefinition> rules;
        try {
            rules = RuleParser.parseFile(file);
        } catch (InvalidRuleException e) {
            fail(file + ": " + e.getMessage());
            return List.of();
        }
        for (RuleDefinition rule : rules) {
            try {
                CompiledRule.compile(rule, CardTransactionFields.SCHEMA);
            } catch (InvalidRuleException e) {
                fail(file + ": " + e.getMessage());
            }
            System.out.println("ok: " + rule.id() + " v" + rule.version());
        }
        return rules;
    }

    private static void publish(Map<String, String> options, List<RuleDefinition> rules)
            throws InterruptedException {
        Properties props = new Properties();
        props.put("bootstrap.servers", options.get("--bootstrap-servers"));
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        String topic = options.get("--topic");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RuleDefinition rule : rules) {
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        rule.id().getBytes(StandardCharsets.UTF_8),
                                        rule.json().getBytes(StandardCharsets.UTF_8)))
                        .get();
                System.out.println(
                        "published "
                                + (rule.remove()
                                        ? "removal of " + rule.id()
                                        : rule.id() + " v" + rule.version())
                                + " to "
                                + topic);
            }
        } catch (ExecutionException e) {
            fail(
                    "could not publish to "
                            + topic
                            + " at "
                            + options.get("--bootstrap-servers")
                            + ": "
                            + e.getCause().getMessage());
        }
        System.out.println("see what the job did with: scripts/rules status");
    }

    private static void status(Map<String, String> options) {
        Properties props = new Properties();
        props.put("bootstrap.servers", options.get("--bootstrap-servers"));
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        String topic = options.get("--status-topic");
        RuleStatusCodec codec = new RuleStatusCodec();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(15);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    RuleStatus s = codec.decode(r.value()).value();
                    if (s != null) {
                        System.out.println(
                                Instant.ofEpochMilli(s.handledAt)
                                        + "  "
                                        + (s.ruleId == null ? "?" : s.ruleId)
                                        + " v"
                                        + s.version
                                        + "  "
                                        + s.status
                                        + (s.activeFrom == Long.MIN_VALUE
                                                ? ""
                                                : "  from " + Instant.ofEpochMilli(s.activeFrom))
                                        + (s.reason == null ? "" : "  " + s.reason));
                    }
                }
            }
        }
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(1);
    }
}
