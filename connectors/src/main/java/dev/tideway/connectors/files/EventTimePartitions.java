package dev.tideway.connectors.files;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * {@code <event type>/dt=YYYY-MM-DD/hour=HH} in UTC, from each record's own event time (not the
 * wall clock), so a replay writes every record to the same partition as the first run did.
 */
public final class EventTimePartitions<T> implements BucketAssigner<T, String> {
    private static final DateTimeFormatter PARTITION =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    private final String eventType;
    private final JsonLineFormat<T> format;

    public EventTimePartitions(String eventType, JsonLineFormat<T> format) {
        this.eventType = eventType;
        this.format = format;
    }

    @Override
    public String getBucketId(T record, Context context) {
        return partitionOf(eventType, format.eventTimeOf(record));
    }

    /** The partition path of an event type at a time: what readers of the lake list. */
    public static String partitionOf(String eventType, long epochMillis) {
        return eventType + "/" + PARTITION.format(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
