package dev.tideway.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.connectors.testing.KafkaBroker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Misconfigurations fail before the job starts, naming the option to fix. */
class KafkaPreflightITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static Configuration options(String servers) {
        Configuration options = new Configuration();
        options.set(KafkaOptions.BOOTSTRAP_SERVERS, servers);
        return options;
    }

    @Test
    void passesWhenTheTopicsExist() {
        String topic = KafkaBroker.uniqueName("in");
        KAFKA.createTopic(topic, 1);

        assertThatCode(
                        () ->
                                KafkaPreflight.check(
                                        options(KAFKA.bootstrapServers()),
                                        Map.of("tideway.x.topic", topic),
                                        true))
                .doesNotThrowAnyException();
    }

    @Test
    void missingTopicIsNamedWithItsOption() {
        assertThatThrownBy(
                        () ->
                                KafkaPreflight.check(
                                        options(KAFKA.bootstrapServers()),
                                        Map.of("tideway.fraud.alerts-topic", "no-such-topic"),
                                        false))
                .hasMessageContaining("'no-such-topic' (tideway.fraud.alerts-topic) do not exist");
    }

    @Test
    void unreachableBrokersNameTheBootstrapOption() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(
                        () ->
                                KafkaPreflight.check(
                                        options("localhost:" + closedPort), Map.of(), false))
                .hasMessageContaining("No Kafka broker answered at localhost:" + closedPort)
                .hasMessageContaining("tideway.kafka.bootstrap-servers");
    }

    @Test
    void transactionTimeoutAboveTheBrokersRealMaximumIsRefused() {
        // The option claims a larger broker maximum; the broker's own setting (15 min) decides.
        Configuration options = options(KAFKA.bootstrapServers());
        options.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(20));
        options.set(KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT, Duration.ofMinutes(30));

        assertThatThrownBy(() -> KafkaPreflight.check(options, Map.of(), true))
                .hasMessageContaining("tideway.kafka.sink.transaction-timeout is PT20M")
                .hasMessageContaining("transaction.max.timeout.ms=900000");
    }
}
