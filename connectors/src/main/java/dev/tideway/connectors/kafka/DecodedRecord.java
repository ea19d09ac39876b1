package dev.tideway.connectors.kafka;

import dev.tideway.common.model.DeadLetter;

/**
 * One Kafka record after decoding: exactly one of {@link #event} and {@link #deadLetter} is set. A
 * Flink POJO, so decoding can happen inside the source, where per-partition watermarks live.
 */
public class DecodedRecord<T> {
    public T event;
    public DeadLetter deadLetter;

    /** Where the record came from; kept for events too, so a late event can be traced. */
    public String sourceTopic;

    public int sourcePartition;
    public long sourceOffset;

    public DecodedRecord() {}

    static <T> DecodedRecord<T> ofEvent(T event, String topic, int partition, long offset) {
        DecodedRecord<T> record = new DecodedRecord<>();
        record.event = event;
        record.sourceTopic = topic;
        record.sourcePartition = partition;
        record.sourceOffset = offset;
        return record;
    }

    static <T> DecodedRecord<T> ofDeadLetter(DeadLetter deadLetter) {
        DecodedRecord<T> record = new DecodedRecord<>();
        record.deadLetter = deadLetter;
        return record;
    }
}
