package dev.tideway.jobs.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.EventCodec;
import java.io.IOException;
import java.time.Instant;

/**
 * Window aggregates on the wire (Kafka):
 *
 * <pre>{"schemaVersion":1,"sensorId":"s-1","site":"plant-a","metric":"temperature",
 * "unit":"celsius","windowStart":"2026-11-22T10:15:00Z","windowEnd":"2026-11-22T10:16:00Z",
 * "count":60,"min":20.1,"max":22.4,"mean":21.3}</pre>
 *
 * Our own output, so decoding (for consumers and tests) checks only the shape.
 */
public final class SensorAggregateCodec implements EventCodec<SensorAggregate> {
    public static final int SCHEMA_VERSION = 1;
    private transient ObjectMapper mapper;

    @Override
    public DecodeResult<SensorAggregate> decode(byte[] payload) {
        try {
            JsonNode json = mapper().readTree(payload);
            if (json == null || !json.isObject()) {
                return DecodeResult.invalid("expected a JSON object");
            }
            if (json.path("schemaVersion").asInt() != SCHEMA_VERSION) {
                return DecodeResult.invalid(
                        "unsupported schemaVersion " + json.get("schemaVersion"));
            }
            return DecodeResult.valid(
                    new SensorAggregate(
                            json.get("sensorId").textValue(),
                            json.get("site").textValue(),
                            json.get("metric").textValue(),
                            json.get("unit").textValue(),
                            Instant.parse(json.get("windowStart").textValue()).toEpochMilli(),
                            Instant.parse(json.get("windowEnd").textValue()).toEpochMilli(),
                            json.get("count").longValue(),
                            json.get("min").doubleValue(),
                            json.get("max").doubleValue(),
                            json.get("mean").doubleValue()));
        } catch (IOException | RuntimeException e) {
            return DecodeResult.invalid("not a sensor aggregate: " + e.getMessage());
        }
    }

    @Override
    public byte[] encode(SensorAggregate a) {
        ObjectNode json = mapper().createObjectNode();
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("sensorId", a.sensorId);
        json.put("site", a.site);
        json.put("metric", a.metric);
        json.put("unit", a.unit);
        json.put("windowStart", Instant.ofEpochMilli(a.windowStart).toString());
        json.put("windowEnd", Instant.ofEpochMilli(a.windowEnd).toString());
        json.put("count", a.count);
        json.put("min", a.min);
        json.put("max", a.max);
        json.put("mean", a.mean);
        try {
            return mapper().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + a, e);
        }
    }

    @Override
    public Class<SensorAggregate> eventType() {
        return SensorAggregate.class;
    }

    @Override
    public long eventTimeOf(SensorAggregate a) {
        return a.eventTime();
    }

    @Override
    public String partitionKeyOf(SensorAggregate a) {
        return a.sensorId;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        return mapper;
    }
}
