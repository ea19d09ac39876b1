package dev.tideway.connectors.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KafkaBroker#readCommitted} sees a transaction committed just before it is called, as the
 * tests' reads right after a job ends need. The broker writes the commit markers after the
 * producer's commit returns; reading only up to the last stable offset at that moment missed some
 * of the records of the 27th transaction here (in two runs of two) over 64 partitions.
 */
class ReadCommittedITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** Markers go to every partition of a transaction: many make the window wide. */
    private static final int PARTITIONS = 64;

    @Test
    void aTransactionCommittedJustBeforeTheReadIsRead() {
        String topic = KafkaBroker.uniqueName("just-committed");
        KAFKA.createTopic(topic, PARTITIONS);
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("transactional.id", topic);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int i = 0; i < 40; i++) {
                producer.beginTransaction();
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("record " + i).getBytes()));
                }
                producer.commitTransaction();

                assertThat(KAFKA.readCommitted(topic, Duration.ofSeconds(30)))
                        .as("read right after commit %d", i)
                        .hasSize((i + 1) * PARTITIONS);
            }
        }
    }
}
