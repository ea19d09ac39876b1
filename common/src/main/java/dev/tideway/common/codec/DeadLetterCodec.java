package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.DeadLetter;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Dead letters on the wire. The original key and value are base64, because they may be any bytes:
 *
 * <pre>{"schemaVersion":1,"sourceTopic":"transactions","sourcePartition":0,"sourceOffset":42,
 * "key":null,"payload":"eyJh...","reason":"missing required field 'cardId'",
 * "deadLetterTime":"2026-11-22T10:15:31Z"}</pre>
 */
public final class DeadLetterCodec extends JsonEventCodec<DeadLetter> {

    /** A dead letter carries its original payload, which may be up to this large. */
    private static final int MAX_DEAD_LETTER_BYTES = 16 * 1024 * 1024;

    public DeadLetterCodec() {
        super(
                new CodecSettings(
                        MAX_DEAD_LETTER_BYTES,
                        CodecSettings.DEFAULT_MAX_FUTURE_SKEW,
                        java.time.Clock.systemUTC()),
                Set.of(
                        "sourceTopic",
                        "sourcePartition",
                        "sourceOffset",
                        "key",
                        "payload",
                        "reason",
                        "deadLetterTime"));
    }

    @Override
    DeadLetter read(JsonFields json) {
        return new DeadLetter(
                json.text("sourceTopic"),
                json.integer("sourcePartition"),
                json.longValue("sourceOffset"),
                json.optionalBytes("key"),
                json.optionalBytes("payload"),
                json.longText("reason"),
                json.eventTime("deadLetterTime"));
    }

    @Override
    void write(DeadLetter d, ObjectNode json) {
        json.put("sourceTopic", d.sourceTopic);
        json.put("sourcePartition", d.sourcePartition);
        json.put("sourceOffset", d.sourceOffset);
        json.put("key", d.key == null ? null : Base64.getEncoder().encodeToString(d.key));
        json.put(
                "payload",
                d.payload == null ? null : Base64.getEncoder().encodeToString(d.payload));
        json.put("reason", d.reason);
        json.put("deadLetterTime", Instant.ofEpochMilli(d.deadLetterTime).toString());
    }

    @Override
    public Class<DeadLetter> eventType() {
        return DeadLetter.class;
    }

    @Override
    public long eventTimeOf(DeadLetter d) {
        return d.deadLetterTime;
    }

    @Override
    public String partitionKeyOf(DeadLetter d) {
        return d.sourceTopic;
    }
}
