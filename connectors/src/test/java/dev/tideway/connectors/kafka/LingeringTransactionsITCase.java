package dev.tideway.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.connectors.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A producer that crashes mid-transaction blocks read_committed readers until aborted. */
class LingeringTransactionsITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @Test
    void abortingTheLingeringTransactionUnblocksReadCommittedReaders() throws Exception {
        String topic = KafkaBroker.uniqueName("blocked");
        KAFKA.createTopic(topic, 1);
        String prefix = "tideway-" + topic + "-";

        crashMidTransaction(prefix + "0", topic);
        KAFKA.produce(
                List.of(new ProducerRecord<>(topic, "after".getBytes(), "committed".getBytes())));

        // The open transaction holds the last stable offset: the read cannot pass it, and fails.
        assertThatThrownBy(() -> KAFKA.readCommitted(topic, Duration.ofSeconds(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("an open transaction?")
                .hasMessageEndingWith("read 0");

        List<LingeringTransactions.Lingering> found =
                LingeringTransactions.find(KAFKA.bootstrapServers(), prefix, Duration.ZERO);
        assertThat(found)
                .extracting(LingeringTransactions.Lingering::transactionalId)
                .containsExactly(prefix + "0");
        assertThat(LingeringTransactions.find(KAFKA.bootstrapServers(), "other-", Duration.ZERO))
                .isEmpty();
        assertThat(
                        LingeringTransactions.find(
                                KAFKA.bootstrapServers(), prefix, Duration.ofHours(1)))
                .isEmpty();

        LingeringTransactions.abort(KAFKA.bootstrapServers(), found);

        assertThat(KAFKA.readCommitted(topic, Duration.ofSeconds(30)))
                .extracting(r -> new String(r.value()))
                .containsExactly("committed");
        assertThat(LingeringTransactions.find(KAFKA.bootstrapServers(), prefix, Duration.ZERO))
                .isEmpty();
    }

    /** Begins a transaction, writes, and dies without committing or aborting. */
    private static void crashMidTransaction(String transactionalId, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("transactional.id", transactionalId);
        props.put("transaction.timeout.ms", "900000");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "k".getBytes(), "uncommitted".getBytes()));
        producer.flush();
        producer.close(Duration.ZERO); // like a crash: no abort is sent
    }
}
