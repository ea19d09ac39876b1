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
    private final EventTimeOf<T> eventTime;

    public EventTimePartitions(String eventType, EventTimeOf<T> eventTime) {
        this.eventType = eventType;
        this.eventTime = eventTime;
    }

    @Override
    public String getBucketId(T record, Context context) {
        return partitionOf(eventType, eventTime.eventTimeOf(record));
    }

    /** The partition path of an event type at a time: what readers of the lake list. */
    public static String partitionOf(String eventType, long epochMillis) {
        return eventType + "/" + PARTITION.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * Epoch milliseconds at which a partition's hour ends: once the watermark passes it, no more
     * on-time events can arrive for it.
     */
    public static long partitionEnd(String bucketId) {
        int dt = bucketId.lastIndexOf("dt=");
        if (dt < 0) {
            throw new IllegalArgumentException("Not an event-time partition: " + bucketId);
        }
        String[] dateAndHour = bucketId.substring(dt + 3).split("/hour=");
        return java.time.LocalDate.parse(dateAndHour[0])
                .atTime(Integer.parseInt(dateAndHour[1]), 0)
                .toInstant(ZoneOffset.UTC)
                .plus(java.time.Duration.ofHours(1))
                .toEpochMilli();
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
