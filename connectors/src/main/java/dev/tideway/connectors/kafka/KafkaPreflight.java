package dev.tideway.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Checks, before a job is submitted, what would otherwise fail minutes later inside a task and loop
 * on restarts: brokers that cannot be reached, topics that do not exist, a transaction timeout
 * above what the brokers accept. Each failure names the option to change.
 */
public final class KafkaPreflight {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private KafkaPreflight() {}

    /**
     * @param topics the job's topics by the option that names them (to point at the fix)
     * @param transactional whether the job writes with Kafka transactions
     */
    public static void check(
            ReadableConfig options, Map<String, String> topics, boolean transactional) {
        String servers = options.get(KafkaOptions.BOOTSTRAP_SERVERS);
        try (Admin admin =
                Admin.create(
                        Map.of(
                                "bootstrap.servers",
                                servers,
                                "request.timeout.ms",
                                "10000",
                                "default.api.timeout.ms",
                                String.valueOf(WAIT.toMillis())))) {
            Collection<Node> brokers = reachable(admin, servers);
            missingTopics(admin, servers, topics);
            if (transactional
                    && options.get(KafkaOptions.DELIVERY) == KafkaOptions.Delivery.EXACTLY_ONCE) {
                transactionTimeoutAccepted(admin, options, brokers.iterator().next());
            }
        }
    }

    private static Collection<Node> reachable(Admin admin, String servers) {
        try {
            return admin.describeCluster().nodes().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "No Kafka broker answered at "
                            + servers
                            + " within "
                            + WAIT.toSeconds()
                            + " s. Check "
                            + KafkaOptions.BOOTSTRAP_SERVERS.key()
                            + " and that the brokers run (locally: scripts/kafka start).",
                    e);
        }
    }

    private static void missingTopics(Admin admin, String servers, Map<String, String> topics) {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the topics of " + servers, e);
        }
        List<String> missing = new ArrayList<>();
        topics.forEach(
                (option, topic) -> {
                    if (!existing.contains(topic)) {
                        missing.add("'" + topic + "' (" + option + ")");
                    }
                });
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "Topic(s) "
                            + String.join(", ", missing)
                            + " do not exist on "
                            + servers
                            + ": create them, or point the option(s) at existing topics.");
        }
    }

    private static void transactionTimeoutAccepted(
            Admin admin, ReadableConfig options, Node broker) {
        long maxMillis;
        try {
            ConfigResource resource =
                    new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
            Config config =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(resource);
            ConfigEntry entry = config.get("transaction.max.timeout.ms");
            if (entry == null || entry.value() == null) {
                return; // not disclosed (ACLs): the build-time check against the option stands
            }
            maxMillis = Long.parseLong(entry.value());
        } catch (Exception e) {
            return; // describeConfigs may be denied; the build-time check against the option stands
        }
        Duration timeout = options.get(KafkaOptions.TRANSACTION_TIMEOUT);
        if (timeout.toMillis() > maxMillis) {
            throw new IllegalStateException(
                    KafkaOptions.TRANSACTION_TIMEOUT.key()
                            + " is "
                            + timeout
                            + ", but broker "
                            + broker.idString()
                            + " accepts at most transaction.max.timeout.ms="
                            + maxMillis
                            + " ms ("
                            + Duration.ofMillis(maxMillis)
                            + "): lower "
                            + KafkaOptions.TRANSACTION_TIMEOUT.key()
                            + " or raise the brokers' transaction.max.timeout.ms (and "
                            + KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT.key()
                            + ").");
        }
    }
}
