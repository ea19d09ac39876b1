package dev.tideway.jobs.clicks;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.files.EventFileSinks;
import dev.tideway.connectors.files.parquet.ParquetRecordSchema;
import dev.tideway.connectors.kafka.KafkaEventSink;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the click-stream job writes; every sink is exactly-once. */
public record ClickSinks(
        Sink<ClickSession> sessions,
        Sink<ClickSession> sessionFiles,
        Sink<FunnelCounts> funnels,
        Sink<FunnelCounts> funnelFiles,
        Sink<Alert> alerts,
        Sink<DeadLetter> late,
        Sink<DeadLetter> deadLetters) {

    public static final String SESSION_FILES = "click_sessions";
    public static final String FUNNEL_FILES = "click_funnels";

    /** The Parquet columns of the session files (README, "The click-stream job"). */
    public static final ParquetRecordSchema<ClickSession> SESSION_SCHEMA =
            ParquetRecordSchema.of("click_session", ClickSession::new)
                    .string("session_id", c -> c.sessionId, (c, v) -> c.sessionId = v)
                    .string("user_id", c -> c.userId, (c, v) -> c.userId = v)
                    .timestampMillis("start", c -> c.start, (c, v) -> c.start = v)
                    .timestampMillis("end", c -> c.end, (c, v) -> c.end = v)
                    .timestampMillis("closed_at", c -> c.closedAt, (c, v) -> c.closedAt = v)
                    .int32("clicks", c -> c.clicks, (c, v) -> c.clicks = v)
                    .int32("page_views", c -> c.pageViews, (c, v) -> c.pageViews = v)
                    .int32("add_to_carts", c -> c.addToCarts, (c, v) -> c.addToCarts = v)
                    .int32("checkouts", c -> c.checkouts, (c, v) -> c.checkouts = v)
                    .int32("purchases", c -> c.purchases, (c, v) -> c.purchases = v)
                    .bool("converted", c -> c.converted, (c, v) -> c.converted = v)
                    .stringList("pages", c -> c.pages, (c, v) -> c.pages = v);

    /** The Parquet columns of the funnel files. */
    public static final ParquetRecordSchema<FunnelCounts> FUNNEL_SCHEMA =
            ParquetRecordSchema.of("click_funnel", FunnelCounts::new)
                    .timestampMillis(
                            "window_start", f -> f.windowStart, (f, v) -> f.windowStart = v)
                    .timestampMillis("window_end", f -> f.windowEnd, (f, v) -> f.windowEnd = v)
                    .int64("viewed", f -> f.viewed, (f, v) -> f.viewed = v)
                    .int64("added_to_cart", f -> f.addedToCart, (f, v) -> f.addedToCart = v)
                    .int64("checked_out", f -> f.checkedOut, (f, v) -> f.checkedOut = v)
                    .int64("purchased", f -> f.purchased, (f, v) -> f.purchased = v)
                    .float64("view_to_cart", f -> f.viewToCart, (f, v) -> f.viewToCart = v)
                    .float64(
                            "cart_to_checkout",
                            f -> f.cartToCheckout,
                            (f, v) -> f.cartToCheckout = v)
                    .float64(
                            "checkout_to_purchase",
                            f -> f.checkoutToPurchase,
                            (f, v) -> f.checkoutToPurchase = v)
                    .float64(
                            "view_to_purchase",
                            f -> f.viewToPurchase,
                            (f, v) -> f.viewToPurchase = v);

    /** Kafka topics and files named by the options. */
    public static ClickSinks fromConfig(ReadableConfig config, StreamExecutionEnvironment env) {
        String path = config.get(ClickOptions.OUTPUT_PATH);
        return new ClickSinks(
                kafka(
                        config,
                        env,
                        new ClickSessionCodec(),
                        ClickOptions.SESSIONS_TOPIC,
                        "sessions"),
                EventFileSinks.parquet(
                        config,
                        path,
                        SESSION_FILES,
                        SESSION_SCHEMA,
                        new ClickSessionCodec()::eventTimeOf,
                        "clicks-sessions"),
                kafka(config, env, new FunnelCountsCodec(), ClickOptions.FUNNELS_TOPIC, "funnels"),
                EventFileSinks.parquet(
                        config,
                        path,
                        FUNNEL_FILES,
                        FUNNEL_SCHEMA,
                        new FunnelCountsCodec()::eventTimeOf,
                        "clicks-funnels"),
                kafka(config, env, new AlertCodec(), ClickOptions.ALERTS_TOPIC, "alerts"),
                kafka(config, env, new DeadLetterCodec(), ClickOptions.LATE_TOPIC, "late"),
                kafka(
                        config,
                        env,
                        new DeadLetterCodec(),
                        ClickOptions.DEAD_LETTER_TOPIC,
                        "dead-letters"));
    }

    private static <T> Sink<T> kafka(
            ReadableConfig config,
            StreamExecutionEnvironment env,
            EventCodec<T> codec,
            org.apache.flink.configuration.ConfigOption<String> topic,
            String name) {
        return KafkaEventSink.builder(codec)
                .options(config)
                .topic(config.get(topic))
                .transactionalIdPrefix("tideway-clicks-" + name)
                .build(env);
    }
}
