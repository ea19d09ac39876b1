package dev.tideway.connectors.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Finds and aborts Tideway's lingering Kafka transactions: the open transactions a crashed
 * exactly-once producer leaves behind, which hold back every read_committed reader of their
 * partitions until the transaction timeout expires (up to 15 minutes).
 *
 * <p>Aborting fences the transactional id (a producer with the same id calls initTransactions),
 * which is what Flink's Kafka sink itself does on restart. Do it only for jobs that are stopped, or
 * with --older-than above the jobs' checkpoint interval: a running job whose transaction is fenced
 * fails and restarts from its checkpoint (no data is lost, but it is a restart).
 *
 * <pre>scripts/kafka abort-lingering --prefix tideway- [--older-than 5m] [--dry-run]</pre>
 */
public final class LingeringTransactions {

    /** An open transaction and how long it has been open. */
    public record Lingering(
            String transactionalId, long producerId, Duration age, int partitions) {}

    private LingeringTransactions() {}

    /** Ongoing transactions whose id starts with the prefix and that are older than given. */
    public static List<Lingering> find(String bootstrapServers, String prefix, Duration olderThan)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<String> ids =
                    admin
                            .listTransactions(
                                    new ListTransactionsOptions()
                                            .filterStates(List.of(TransactionState.ONGOING))
                                            .filterOnTransactionalIdPattern(
                                                    Pattern.quote(prefix) + ".*"))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .stream()
                            .map(TransactionListing::transactionalId)
                            .filter(id -> id.startsWith(prefix))
                            .toList();
            if (ids.isEmpty()) {
                return List.of();
            }
            Map<String, TransactionDescription> descriptions =
                    admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS);
            long now = Instant.now().toEpochMilli();
            List<Lingering> lingering = new ArrayList<>();
            descriptions.forEach(
                    (id, d) -> {
                        if (d.state() != TransactionState.ONGOING) {
                            return;
                        }
                        Duration age =
                                Duration.ofMillis(now - d.transactionStartTimeMs().orElse(now));
                        if (age.compareTo(olderThan) >= 0) {
                            lingering.add(
                                    new Lingering(
                                            id, d.producerId(), age, d.topicPartitions().size()));
                        }
                    });
            lingering.sort(Comparator.comparing(Lingering::transactionalId));
            return lingering;
        }
    }

    /** Aborts each by fencing its transactional id. */
    public static void abort(String bootstrapServers, List<Lingering> transactions) {
        for (Lingering t : transactions) {
            Properties props = new Properties();
            props.put("bootstrap.servers", bootstrapServers);
            props.put("transactional.id", t.transactionalId());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions(); // bumps the epoch: the broker aborts the open one
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String servers = "localhost:9092";
        String prefix = null;
        Duration olderThan = Duration.ofMinutes(5);
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> servers = args[++i];
                case "--prefix" -> prefix = args[++i];
                case "--older-than" -> olderThan = parseDuration(args[++i]);
                case "--dry-run" -> dryRun = true;
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (prefix == null || prefix.isBlank()) {
            usage("--prefix is required (Tideway's transactional ids start with tideway-)");
        }
        List<Lingering> found = find(servers, prefix, olderThan);
        System.out.printf(
                "%d open transaction(s) with prefix '%s' older than %s on %s%n",
                found.size(), prefix, olderThan, servers);
        found.forEach(
                t ->
                        System.out.printf(
                                "  %s  producerId=%d  open for %ds  partitions=%d%n",
                                t.transactionalId(),
                                t.producerId(),
                                t.age().toSeconds(),
                                t.partitions()));
        if (!dryRun && !found.isEmpty()) {
            abort(servers, found);
            System.out.println("Aborted " + found.size() + "; read_committed readers can move on.");
        }
    }

    static Duration parseDuration(String text) {
        var m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.strip());
        if (!m.matches()) {
            usage("--older-than takes a duration such as 30s, 5m or 1h, not " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(
                "usage: LingeringTransactions --prefix PREFIX [--bootstrap-servers HOST:PORT]"
                        + " [--older-than 5m] [--dry-run]");
        System.exit(2);
    }
}
