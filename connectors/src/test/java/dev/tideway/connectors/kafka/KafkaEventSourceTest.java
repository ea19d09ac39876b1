package dev.tideway.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.time.EventTimeOptions;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.junit.jupiter.api.Test;

/** The source builder's consumer settings, and what it refuses before the job starts. */
class KafkaEventSourceTest {

    private static KafkaEventSource.Builder<CardTransaction> source(Configuration options) {
        return KafkaEventSource.builder(new CardTransactionCodec())
                .options(options)
                .topic("transactions")
                .groupId("test")
                .uid("transactions");
    }

    @Test
    void fetchPerPartitionReachesTheConsumer() throws Exception {
        Configuration options = new Configuration();
        options.set(KafkaOptions.SOURCE_FETCH_PER_PARTITION, MemorySize.parse("128kb"));

        assertThat(consumerProperties(options).getProperty("max.partition.fetch.bytes"))
                .isEqualTo("131072");
        assertThat(consumerProperties(new Configuration()).getProperty("max.partition.fetch.bytes"))
                .isEqualTo(
                        String.valueOf(
                                KafkaOptions.SOURCE_FETCH_PER_PARTITION.defaultValue().getBytes()));
    }

    @Test
    void aFetchTooSmallIsRefusedWithTheRange() {
        Configuration options = new Configuration();
        options.set(KafkaOptions.SOURCE_FETCH_PER_PARTITION, MemorySize.parse("100b"));

        assertThatThrownBy(() -> source(options).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tideway.kafka.source.fetch-per-partition is 100 bytes")
                .hasMessageContaining("set it between 4kb and 2gb");
    }

    @Test
    void partitionDriftAlignsTheSourcesPartitionsOnlyWhenSet() {
        assertThat(kafkaSource(new Configuration()).getWatermarkStrategy().getAlignmentParameters())
                .extracting(WatermarkAlignmentParams::isEnabled)
                .isEqualTo(false);

        Configuration options = new Configuration();
        options.set(EventTimeOptions.MAX_PARTITION_DRIFT, Duration.ofSeconds(60));
        WatermarkAlignmentParams alignment =
                kafkaSource(options).getWatermarkStrategy().getAlignmentParameters();
        assertThat(alignment.isEnabled()).isTrue();
        assertThat(alignment.getMaxAllowedWatermarkDrift()).isEqualTo(60_000);
        assertThat(alignment.getUpdateInterval()).isEqualTo(100);
        assertThat(alignment.getWatermarkGroup()).isEqualTo("transactions-partitions");
    }

    /** FLINK-39728: a bounded read's partitions end, which fails an aligned 5.0.0-2.2 source. */
    @Test
    void aBoundedReadDoesNotAlignItsPartitions() {
        Configuration options = new Configuration();
        options.set(EventTimeOptions.MAX_PARTITION_DRIFT, Duration.ofSeconds(60));
        options.set(KafkaOptions.BOUNDED, true);

        assertThat(kafkaSource(options).getWatermarkStrategy().getAlignmentParameters())
                .extracting(WatermarkAlignmentParams::isEnabled)
                .isEqualTo(false);
    }

    @Test
    void aDriftThatIsNotPositiveIsRefused() {
        Configuration options = new Configuration();
        options.set(EventTimeOptions.MAX_PARTITION_DRIFT, Duration.ZERO);

        assertThatThrownBy(() -> source(options).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tideway.event-time.max-partition-drift is PT0S")
                .hasMessageContaining("set a positive duration");
    }

    /** The consumer properties of the KafkaSource the builder puts into a job. */
    private static Properties consumerProperties(Configuration options) throws Exception {
        SourceTransformation<?, ?, ?> source = kafkaSource(options);
        // KafkaSource keeps its consumer properties private; the builder's result is what counts.
        Field props = KafkaSource.class.getDeclaredField("props");
        props.setAccessible(true);
        return (Properties) props.get(source.getSource());
    }

    /** The Kafka source transformation the builder puts into a job. */
    private static SourceTransformation<?, ?, ?> kafkaSource(Configuration options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        source(options).build().open(env).events().sinkTo(new DiscardingSink<>());
        for (Transformation<?> t : env.getTransformations().get(0).getTransitivePredecessors()) {
            if (t instanceof SourceTransformation
                    && ((SourceTransformation<?, ?, ?>) t).getSource() instanceof KafkaSource) {
                return (SourceTransformation<?, ?, ?>) t;
            }
        }
        throw new AssertionError("no Kafka source in the job");
    }
}
