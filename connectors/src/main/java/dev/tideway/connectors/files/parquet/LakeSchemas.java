package dev.tideway.connectors.files.parquet;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.common.model.SensorReading;

/**
 * The Parquet schema of each event type in the lake. Column names are snake_case; times are UTC
 * timestamps (millisecond); money is decimal(18,4). The README's "The lake" section documents
 * these; change both together.
 */
public final class LakeSchemas {

    public static final ParquetRecordSchema<CardTransaction> CARD_TRANSACTION =
            ParquetRecordSchema.of("card_transaction", CardTransaction::new)
                    .string("event_id", t -> t.eventId, (t, v) -> t.eventId = v)
                    .string("card_id", t -> t.cardId, (t, v) -> t.cardId = v)
                    .string("account_id", t -> t.accountId, (t, v) -> t.accountId = v)
                    .string("merchant", t -> t.merchant, (t, v) -> t.merchant = v)
                    .decimal("amount", t -> t.amount, (t, v) -> t.amount = v)
                    .string("currency", t -> t.currency, (t, v) -> t.currency = v)
                    .float64("latitude", t -> t.latitude, (t, v) -> t.latitude = v)
                    .float64("longitude", t -> t.longitude, (t, v) -> t.longitude = v)
                    .enumName(
                            "authorization",
                            AuthorizationResult.class,
                            t -> t.authorization,
                            (t, v) -> t.authorization = v)
                    .timestampMillis("event_time", t -> t.eventTime, (t, v) -> t.eventTime = v);

    public static final ParquetRecordSchema<SensorReading> SENSOR_READING =
            ParquetRecordSchema.of("sensor_reading", SensorReading::new)
                    .string("event_id", r -> r.eventId, (r, v) -> r.eventId = v)
                    .string("sensor_id", r -> r.sensorId, (r, v) -> r.sensorId = v)
                    .string("site", r -> r.site, (r, v) -> r.site = v)
                    .string("metric", r -> r.metric, (r, v) -> r.metric = v)
                    .float64("value", r -> r.value, (r, v) -> r.value = v)
                    .string("unit", r -> r.unit, (r, v) -> r.unit = v)
                    .timestampMillis("event_time", r -> r.eventTime, (r, v) -> r.eventTime = v);

    public static final ParquetRecordSchema<ClickEvent> CLICK_EVENT =
            ParquetRecordSchema.of("click_event", ClickEvent::new)
                    .string("event_id", c -> c.eventId, (c, v) -> c.eventId = v)
                    .string("user_id", c -> c.userId, (c, v) -> c.userId = v)
                    .string("session_id", c -> c.sessionId, (c, v) -> c.sessionId = v)
                    .string("page", c -> c.page, (c, v) -> c.page = v)
                    .enumName("action", ClickAction.class, c -> c.action, (c, v) -> c.action = v)
                    .timestampMillis("event_time", c -> c.eventTime, (c, v) -> c.eventTime = v);

    /** Bad input keeps its original bytes: the lake is the long-term record of it too. */
    public static final ParquetRecordSchema<DeadLetter> DEAD_LETTER =
            ParquetRecordSchema.of("dead_letter", DeadLetter::new)
                    .string("source_topic", d -> d.sourceTopic, (d, v) -> d.sourceTopic = v)
                    .int32(
                            "source_partition",
                            d -> d.sourcePartition,
                            (d, v) -> d.sourcePartition = v)
                    .int64("source_offset", d -> d.sourceOffset, (d, v) -> d.sourceOffset = v)
                    .bytes("key", d -> d.key, (d, v) -> d.key = v)
                    .bytes("payload", d -> d.payload, (d, v) -> d.payload = v)
                    .string("reason", d -> d.reason, (d, v) -> d.reason = v)
                    .timestampMillis(
                            "dead_letter_time",
                            d -> d.deadLetterTime,
                            (d, v) -> d.deadLetterTime = v);

    private LakeSchemas() {}
}
