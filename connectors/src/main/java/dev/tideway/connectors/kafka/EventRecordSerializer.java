package dev.tideway.connectors.kafka;

import dev.tideway.common.codec.EventCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Encodes events as JSON, keyed by the event's partition key. The record timestamp is left to the
 * producer (its wall clock), not the event time: the broker rejects timestamps far in the future
 * and deletes records older than the retention, and either would fail or lose output.
 */
class EventRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final EventCodec<T> codec;

    EventRecordSerializer(String topic, EventCodec<T> codec) {
        this.topic = topic;
        this.codec = codec;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T event, KafkaSinkContext context, Long timestamp) {
        String key = codec.partitionKeyOf(event);
        return new ProducerRecord<>(
                topic,
                null,
                null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                codec.encode(event));
    }
}
