package dev.tideway.connectors.kafka;

import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes every Kafka record into an event or a dead letter that keeps the original bytes and
 * origin. Never throws: a record the codec rejects must not fail the source and restart the job in
 * a loop.
 */
class DecodingDeserializer<T> implements KafkaRecordDeserializationSchema<DecodedRecord<T>> {
    private final EventCodec<T> codec;
    private final boolean requireKey;

    DecodingDeserializer(EventCodec<T> codec, boolean requireKey) {
        this.codec = codec;
        this.requireKey = requireKey;
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord<T>> out) {
        DecodeResult<T> result = codec.decode(record.value());
        String reason =
                result.isValid() ? keyProblem(record.key(), result.value()) : result.error();
        if (reason == null) {
            out.collect(
                    DecodedRecord.ofEvent(
                            result.value(), record.topic(), record.partition(), record.offset()));
        } else {
            out.collect(
                    DecodedRecord.ofDeadLetter(
                            new DeadLetter(
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    record.key(),
                                    record.value(),
                                    reason,
                                    System.currentTimeMillis())));
        }
    }

    private String keyProblem(byte[] key, T event) {
        if (!requireKey) {
            return null;
        }
        String expected = codec.partitionKeyOf(event);
        if (key == null) {
            return "record has no key; producers must key "
                    + codec.eventType().getSimpleName()
                    + " records by '"
                    + expected
                    + "' (or set "
                    + KafkaOptions.REQUIRE_KEY.key()
                    + ": false)";
        }
        String actual = new String(key, StandardCharsets.UTF_8);
        if (!actual.equals(expected)) {
            return "record key '" + actual + "' differs from the event's key '" + expected + "'";
        }
        return null;
    }

    @Override
    public TypeInformation<DecodedRecord<T>> getProducedType() {
        return new DecodedRecordType<>(codec.eventType());
    }
}
