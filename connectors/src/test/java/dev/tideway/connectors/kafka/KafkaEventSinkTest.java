package dev.tideway.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.common.codec.AlertCodec;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The sink builder refuses, before the job starts, what would fail or lose data at runtime. */
class KafkaEventSinkTest {

    private static StreamExecutionEnvironment env(String checkpointInterval) {
        Configuration flink = new Configuration();
        if (checkpointInterval != null) {
            flink.setString("execution.checkpointing.interval", checkpointInterval);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }

    private static KafkaEventSink.Builder<dev.tideway.common.model.Alert> sink(
            Configuration options) {
        return KafkaEventSink.builder(new AlertCodec())
                .options(options)
                .topic("alerts")
                .transactionalIdPrefix("test-alerts");
    }

    @Test
    void exactlyOnceWithoutCheckpointingNamesTheSettingsToChange() {
        assertThatThrownBy(() -> sink(new Configuration()).build(env(null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkpointing is off")
                .hasMessageContaining("execution.checkpointing.interval")
                .hasMessageContaining("tideway.kafka.sink.delivery: AT_LEAST_ONCE");
    }

    @Test
    void transactionTimeoutAboveTheBrokersMaximumIsRefused() {
        Configuration options = new Configuration();
        options.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(20));

        assertThatThrownBy(() -> sink(options).build(env("10s")))
                .hasMessageContaining("tideway.kafka.sink.transaction-timeout is PT20M")
                .hasMessageContaining("transaction.max.timeout.ms of PT15M")
                .hasMessageContaining("tideway.kafka.broker.max-transaction-timeout");
    }

    @Test
    void transactionTimeoutShorterThanACheckpointPlusARestartIsRefused() {
        Configuration options = new Configuration();
        options.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(2));

        assertThatThrownBy(() -> sink(options).build(env("5min")))
                .hasMessageContaining("must survive a checkpoint interval (PT5M")
                .hasMessageContaining("to at least PT6M");
    }

    @Test
    void raisingTheBrokerMaximumAllowsLongerTimeouts() {
        Configuration options = new Configuration();
        options.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(20));
        options.set(KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT, Duration.ofMinutes(30));

        assertThat(sink(options).build(env("10s"))).isNotNull();
    }

    @Test
    void atLeastOnceNeedsNeitherCheckpointingNorAPrefix() {
        Configuration options = new Configuration();
        options.set(KafkaOptions.DELIVERY, KafkaOptions.Delivery.AT_LEAST_ONCE);

        assertThat(
                        KafkaEventSink.builder(new AlertCodec())
                                .options(options)
                                .topic("t")
                                .build(env(null)))
                .isNotNull();
    }

    @Test
    void exactlyOnceNeedsATransactionalIdPrefix() {
        assertThatThrownBy(
                        () -> KafkaEventSink.builder(new AlertCodec()).topic("t").build(env("10s")))
                .hasMessageContaining("transactionalIdPrefix");
    }
}
