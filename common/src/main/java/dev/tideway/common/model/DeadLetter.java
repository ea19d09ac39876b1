package dev.tideway.common.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be processed, kept with everything needed to find, fix and replay it: the
 * original bytes, where it came from, why it was rejected and when. A Flink POJO.
 */
public class DeadLetter {
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    /** The original record key, or null if it had none. */
    public byte[] key;

    /** The original record value, byte for byte (may be null or not UTF-8). */
    public byte[] payload;

    public String reason;

    /** Wall-clock time at which the record was rejected, epoch milliseconds. */
    public long deadLetterTime;

    public DeadLetter() {}

    public DeadLetter(
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] key,
            byte[] payload,
            String reason,
            long deadLetterTime) {
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.key = key;
        this.payload = payload;
        this.reason = reason;
        this.deadLetterTime = deadLetterTime;
    }

    /** Where the record came from, as topic-partition@offset. */
    public String origin() {
        return sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return sourcePartition == d.sourcePartition
                && sourceOffset == d.sourceOffset
                && deadLetterTime == d.deadLetterTime
                && Objects.equals(sourceTopic, d.sourceTopic)
                && Arrays.equals(key, d.key)
                && Arrays.equals(payload, d.payload)
                && Objects.equals(reason, d.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + origin() + ", reason=" + reason + '}';
    }
}
