package dev.tideway.jobs.clicks;

import dev.tideway.common.codec.AlertCodec;
import dev.tideway.common.codec.DeadLetterCodec;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.connectors.files.EventFileSinks;
import dev.tideway.connectors.files.JsonLineFormat;
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
                EventFileSinks.jsonLines(
                        config, path, SESSION_FILES, JsonLineFormat.of(new ClickSessionCodec())),
                kafka(config, env, new FunnelCountsCodec(), ClickOptions.FUNNELS_TOPIC, "funnels"),
                EventFileSinks.jsonLines(
                        config, path, FUNNEL_FILES, JsonLineFormat.of(new FunnelCountsCodec())),
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
