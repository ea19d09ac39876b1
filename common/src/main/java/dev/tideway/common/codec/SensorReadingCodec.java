package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.SensorReading;
import java.time.Instant;
import java.util.Set;

/**
 * Sensor readings on the wire:
 *
 * <pre>{"schemaVersion":1,"eventId":"r-1","sensorId":"s-1","site":"plant-a",
 * "metric":"temperature","value":21.5,"unit":"celsius","eventTime":"2026-11-22T10:15:30Z"}</pre>
 */
public final class SensorReadingCodec extends JsonEventCodec<SensorReading> {

    /** Beyond this magnitude a reading is a broken sensor or a bad encoder, not a measurement. */
    public static final double MAX_ABS_VALUE = 1e9;

    public SensorReadingCodec() {
        this(CodecSettings.defaults());
    }

    public SensorReadingCodec(CodecSettings settings) {
        super(
                settings,
                Set.of("eventId", "sensorId", "site", "metric", "value", "unit", "eventTime"));
    }

    @Override
    SensorReading read(JsonFields json) {
        return new SensorReading(
                json.text("eventId"),
                json.text("sensorId"),
                json.text("site"),
                json.text("metric"),
                json.number("value", -MAX_ABS_VALUE, MAX_ABS_VALUE),
                json.text("unit"),
                json.eventTime("eventTime"));
    }

    @Override
    void write(SensorReading r, ObjectNode json) {
        json.put("eventId", r.eventId);
        json.put("sensorId", r.sensorId);
        json.put("site", r.site);
        json.put("metric", r.metric);
        json.put("value", r.value);
        json.put("unit", r.unit);
        json.put("eventTime", Instant.ofEpochMilli(r.eventTime).toString());
    }

    @Override
    public Class<SensorReading> eventType() {
        return SensorReading.class;
    }

    @Override
    public long eventTimeOf(SensorReading r) {
        return r.eventTime;
    }

    @Override
    public String partitionKeyOf(SensorReading r) {
        return r.sensorId;
    }
}
