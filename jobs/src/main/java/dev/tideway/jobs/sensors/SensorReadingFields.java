package dev.tideway.jobs.sensors;

import dev.tideway.common.model.SensorReading;
import dev.tideway.rules.expression.EventSchema;

/** The fields of a sensor reading that rules can test, grouped by sensor. */
public final class SensorReadingFields {
    private SensorReadingFields() {}

    public static final EventSchema<SensorReading> SCHEMA =
            EventSchema.<SensorReading>builder("sensorId")
                    .text(EventSchema.EVENT_ID, r -> r.eventId)
                    .number(EventSchema.EVENT_TIME, r -> r.eventTime)
                    .text("sensorId", r -> r.sensorId)
                    .text("site", r -> r.site)
                    .text("metric", r -> r.metric)
                    .number("value", r -> r.value)
                    .text("unit", r -> r.unit)
                    .build();
}
