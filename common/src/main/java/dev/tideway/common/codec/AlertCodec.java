package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.Alert;
import java.time.Instant;
import java.util.Set;

/**
 * Alerts on the wire:
 *
 * <pre>{"schemaVersion":1,"alertId":"card-testing:c-1:t-1,t-2","rule":"card-testing",
 * "key":"c-1","evidence":["t-1","t-2"],"detail":"...","eventTime":"...","detectedAt":"..."}</pre>
 */
public final class AlertCodec extends JsonEventCodec<Alert> {

    public AlertCodec() {
        // Alerts are our own output: no future-skew check is needed, but keep the same parser.
        this(CodecSettings.defaults());
    }

    public AlertCodec(CodecSettings settings) {
        super(
                settings,
                Set.of("alertId", "rule", "key", "evidence", "detail", "eventTime", "detectedAt"));
    }

    @Override
    Alert read(JsonFields json) {
        Alert alert = new Alert();
        alert.alertId = json.text("alertId");
        alert.rule = json.text("rule");
        alert.key = json.text("key");
        alert.evidence = json.textList("evidence");
        alert.detail = json.longText("detail");
        alert.eventTime = json.eventTime("eventTime");
        alert.detectedAt = json.eventTime("detectedAt");
        return alert;
    }

    @Override
    void write(Alert alert, ObjectNode json) {
        json.put("alertId", alert.alertId);
        json.put("rule", alert.rule);
        json.put("key", alert.key);
        ArrayNode evidence = json.putArray("evidence");
        alert.evidence.forEach(evidence::add);
        json.put("detail", alert.detail);
        json.put("eventTime", Instant.ofEpochMilli(alert.eventTime).toString());
        json.put("detectedAt", Instant.ofEpochMilli(alert.detectedAt).toString());
    }

    @Override
    public Class<Alert> eventType() {
        return Alert.class;
    }

    @Override
    public long eventTimeOf(Alert a) {
        return a.eventTime;
    }

    @Override
    public String partitionKeyOf(Alert a) {
        return a.key;
    }
}
