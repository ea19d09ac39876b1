package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import java.time.Instant;
import java.util.Set;

/**
 * Click events on the wire:
 *
 * <pre>{"schemaVersion":1,"eventId":"e-1","userId":"u-1","sessionId":"s-1","page":"/cart",
 * "action":"add_to_cart","eventTime":"2026-11-22T10:15:30Z"}</pre>
 */
public final class ClickEventCodec extends JsonEventCodec<ClickEvent> {

    public ClickEventCodec() {
        this(CodecSettings.defaults());
    }

    public ClickEventCodec(CodecSettings settings) {
        super(settings, Set.of("eventId", "userId", "sessionId", "page", "action", "eventTime"));
    }

    @Override
    ClickEvent read(JsonFields json) {
        return new ClickEvent(
                json.text("eventId"),
                json.text("userId"),
                json.text("sessionId"),
                json.text("page"),
                json.enumValue("action", ClickAction.class),
                json.eventTime("eventTime"));
    }

    @Override
    void write(ClickEvent c, ObjectNode json) {
        json.put("eventId", c.eventId);
        json.put("userId", c.userId);
        json.put("sessionId", c.sessionId);
        json.put("page", c.page);
        json.put("action", JsonFields.wireName(c.action));
        json.put("eventTime", Instant.ofEpochMilli(c.eventTime).toString());
    }

    @Override
    public Class<ClickEvent> eventType() {
        return ClickEvent.class;
    }

    @Override
    public long eventTimeOf(ClickEvent c) {
        return c.eventTime;
    }

    @Override
    public String partitionKeyOf(ClickEvent c) {
        return c.userId;
    }
}
