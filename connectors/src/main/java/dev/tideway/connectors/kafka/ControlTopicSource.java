package dev.tideway.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A control topic (rules, say) read as UTF-8 text, one update per record. Always from the earliest
 * offset on a fresh start, because the topic's whole history is the current setting; after a
 * restore, from the checkpointed offsets. No watermarks: control records do not move time.
 */
public final class ControlTopicSource {
    private ControlTopicSource() {}

    public static DataStream<String> open(
            StreamExecutionEnvironment env,
            ReadableConfig options,
            String topic,
            String groupId,
            String uid) {
        KafkaSourceBuilder<String> kafka =
                KafkaSource.<String>builder()
                        .setBootstrapServers(options.get(KafkaOptions.BOOTSTRAP_SERVERS))
                        .setTopics(topic)
                        .setGroupId(groupId)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new Utf8())
                        .setProperty("isolation.level", "read_committed");
        if (options.get(KafkaOptions.BOUNDED)) {
            kafka.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(kafka.build(), WatermarkStrategy.noWatermarks(), "kafka: " + topic)
                .uid(uid)
                .setParallelism(1);
    }

    /** Bytes to text; a record that is not UTF-8 still arrives, and is rejected downstream. */
    private static final class Utf8 implements DeserializationSchema<String> {
        @Override
        public String deserialize(byte[] message) {
            return message == null ? "" : new String(message, StandardCharsets.UTF_8);
        }

        @Override
        public boolean isEndOfStream(String next) {
            return false;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
