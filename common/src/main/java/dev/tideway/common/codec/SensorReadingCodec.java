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

    /**
     * The units a reading may carry. A unit outside this list is a typo or an unconverted device (a
     * Fahrenheit sensor on a Celsius line): aggregating it with the others would be wrong, so it is
     * rejected, not guessed at. Extend the list when a new kind of sensor is installed.
     */
    public static final Set<String> KNOWN_UNITS =
            java.util.Collections.unmodifiableSet(
                    new java.util.TreeSet<>(
                            Set.of(
                                    "celsius",
                                    "fahrenheit",
                                    "kelvin",
                                    "kPa",
                                    "bar",
                                    "hPa",
                                    "percent",
                                    "mm/s",
                                    "g",
                                    "V",
                                    "A",
                                    "W",
                                    "kWh",
                                    "lux",
                                    "ppm",
                                    "m3/h",
                                    "l/min",
                                    "rpm",
                                    "dB")));

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
                unit(json),
                json.eventTime("eventTime"));
    }

    private static String unit(JsonFields json) {
        String unit = json.text("unit");
        if (!KNOWN_UNITS.contains(unit)) {
            throw new InvalidEventException(
                    "field 'unit' has unknown unit '"
                            + JsonFields.abbreviate(unit)
                            + "'; expected one of "
                            + String.join(", ", KNOWN_UNITS));
        }
        return unit;
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
