package dev.tideway.jobs.compat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.jobs.fraud.FraudOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The fraud job's state in the stored savepoint, and the input that completes it. Before the
 * savepoint, card c-compat has two declines, a probe charge and a home location in rule state;
 * after restoring, a third decline, a large charge and a far-away charge must each complete an
 * alert that names evidence only the restored state remembers.
 */
final class FraudSavepointScenario {
    static final Path SAVEPOINT = Path.of("src", "test", "resources", "savepoints", "fraud");
    static final String TOPIC = "compat-transactions";
    static final String ALERTS = "compat-alerts";
    static final String DEAD_LETTERS = "compat-dead-letters";
    static final String CARD = "c-compat";
    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    private FraudSavepointScenario() {}

    /** Read before the savepoint: offsets 0 to 4. */
    static List<ProducerRecord<byte[], byte[]>> beforeSavepoint() {
        return List.of(
                record(tx("d1", CARD, "40.00", 48.85, 2.35, true, min(0))),
                record(tx("d2", CARD, "41.00", 48.85, 2.35, true, min(1))),
                record(tx("p1", CARD, "0.99", 48.85, 2.35, false, min(2))),
                record(tx("h1", CARD, "25.00", 48.85, 2.35, false, min(3))),
                // Moves the watermark past the four above, so they sit in rule state.
                record(tx("w1", "c-other", "25.00", 0, 0, false, min(10))));
    }

    /**
     * Read after restoring: offsets 5 on. Later than all of the above, since operators restore
     * their watermark: anything at or before it would be late.
     */
    static List<ProducerRecord<byte[], byte[]>> afterRestore() {
        return List.of(
                // Tokyo eight minutes after Paris (h1).
                record(tx("far", CARD, "30.00", 35.67, 139.65, false, min(11))),
                record(tx("big", CARD, "900.00", 48.85, 2.35, false, min(12))),
                record(tx("d3", CARD, "42.00", 48.85, 2.35, true, min(13))),
                record(tx("w2", "c-other", "25.00", 0, 0, false, min(40))));
    }

    static Configuration jobOptions(String bootstrapServers) {
        Configuration options = new Configuration();
        options.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        options.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        options.set(FraudOptions.TRANSACTIONS_TOPIC, TOPIC);
        options.set(FraudOptions.ALERTS_TOPIC, ALERTS);
        options.set(FraudOptions.DEAD_LETTER_TOPIC, DEAD_LETTERS);
        options.set(FraudOptions.GROUP_ID, "tideway-compat");
        // The rules' windows are wide enough for the gaps above; memory of places too.
        options.set(FraudOptions.DECLINES_WINDOW, Duration.ofMinutes(15));
        options.set(FraudOptions.CARD_TESTING_WINDOW, Duration.ofMinutes(15));
        return options;
    }

    private static Instant min(long minutes) {
        return T.plus(Duration.ofMinutes(minutes));
    }

    private static CardTransaction tx(
            String id,
            String card,
            String amount,
            double lat,
            double lon,
            boolean declined,
            Instant at) {
        return new CardTransaction(
                id,
                card,
                "acct",
                "shop",
                new BigDecimal(amount),
                "EUR",
                lat,
                lon,
                declined ? AuthorizationResult.DECLINED : AuthorizationResult.APPROVED,
                at.toEpochMilli());
    }

    private static ProducerRecord<byte[], byte[]> record(CardTransaction tx) {
        return new ProducerRecord<>(
                TOPIC,
                0,
                tx.cardId.getBytes(StandardCharsets.UTF_8),
                new CardTransactionCodec().encode(tx));
    }
}
