package dev.tideway.jobs.clicks;

import dev.tideway.connectors.files.FileSinkOptions;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.connectors.time.EventTimeOptions;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Every option of the click-stream job: topics, output path, the three time spans, and the engine
 * of the abandoned-cart rule.
 */
public final class ClickOptions {

    public static final ConfigOption<String> CLICKS_TOPIC =
            ConfigOptions.key("tideway.clicks.clicks-topic")
                    .stringType()
                    .defaultValue("clicks")
                    .withDescription("Topic of click events (JSON, keyed by user id).");

    public static final ConfigOption<String> SESSIONS_TOPIC =
            ConfigOptions.key("tideway.clicks.sessions-topic")
                    .stringType()
                    .defaultValue("click-sessions")
                    .withDescription("Topic the session summaries are written to, exactly once.");

    public static final ConfigOption<String> FUNNELS_TOPIC =
            ConfigOptions.key("tideway.clicks.funnels-topic")
                    .stringType()
                    .defaultValue("click-funnels")
                    .withDescription("Topic of the per-window funnel counts, exactly once.");

    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("tideway.clicks.alerts-topic")
                    .stringType()
                    .defaultValue("click-alerts")
                    .withDescription("Topic of abandoned-cart alerts, exactly once.");

    public static final ConfigOption<String> LATE_TOPIC =
            ConfigOptions.key("tideway.clicks.late-topic")
                    .stringType()
                    .defaultValue("click-late")
                    .withDescription(
                            "Topic of clicks that arrived behind the watermark, as dead-letter"
                                    + " records (original event, origin when known, reason).");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("tideway.clicks.dead-letter-topic")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription("Topic for undecodable and invalid click records.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("tideway.clicks.group-id")
                    .stringType()
                    .defaultValue("tideway-clicks")
                    .withDescription("Kafka consumer group of the job.");

    public static final ConfigOption<String> OUTPUT_PATH =
            ConfigOptions.key("tideway.clicks.output-path")
                    .stringType()
                    .defaultValue("file:///tmp/tideway/lake")
                    .withDescription(
                            "Base path of the file outputs (file://, hdfs://, s3://): sessions"
                                    + " under click_sessions/, funnels under click_funnels/,"
                                    + " partitioned dt=/hour= by event time.");

    public static final ConfigOption<Duration> SESSION_GAP =
            ConfigOptions.key("tideway.clicks.session-gap")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "A user's session ends after this long without a click (event time).");

    public static final ConfigOption<Duration> FUNNEL_WINDOW =
            ConfigOptions.key("tideway.clicks.funnel-window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "Size of the tumbling event-time windows the funnel is counted in.");

    public static final ConfigOption<Duration> ABANDON_TIMEOUT =
            ConfigOptions.key("tideway.clicks.abandon-timeout")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "An add_to_cart with no purchase by the same user within this long"
                                    + " (event time) raises an abandoned-cart alert.");

    /** Which engine runs the abandoned-cart rule. */
    public enum Engine {
        /** Tideway's rules engine: one state value and at most one pending timer per user. */
        RULES,
        /** The same rule as a flink-cep pattern: the reference the engine is tested against. */
        CEP
    }

    public static final ConfigOption<Engine> ENGINE =
            ConfigOptions.key("tideway.clicks.engine")
                    .enumType(Engine.class)
                    .defaultValue(Engine.RULES)
                    .withDescription(
                            "Engine of the abandoned-cart rule. RULES: the Tideway rules engine."
                                    + " CEP: the same rule as a flink-cep pattern, the reference the"
                                    + " engine is tested against (much slower on RocksDB). Switching"
                                    + " engines on a savepoint leaves the other engine's state"
                                    + " unclaimed: restore with"
                                    + " execution.state-recovery.ignore-unclaimed-state: true, which"
                                    + " drops the open carts.");

    /** Every option this job accepts, for validating the command line. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all =
                new java.util.ArrayList<>(
                        List.of(
                                CLICKS_TOPIC,
                                SESSIONS_TOPIC,
                                FUNNELS_TOPIC,
                                ALERTS_TOPIC,
                                LATE_TOPIC,
                                DEAD_LETTER_TOPIC,
                                GROUP_ID,
                                OUTPUT_PATH,
                                SESSION_GAP,
                                FUNNEL_WINDOW,
                                ABANDON_TIMEOUT,
                                ENGINE));
        all.addAll(KafkaOptions.all());
        all.addAll(dev.tideway.rules.RuleEngineOptions.all());
        all.addAll(EventTimeOptions.all());
        all.addAll(FileSinkOptions.parquet());
        return all;
    }

    /** The time spans, checked. */
    public static ClickRules rules(ReadableConfig config) {
        return new ClickRules(
                config.get(SESSION_GAP), config.get(FUNNEL_WINDOW), config.get(ABANDON_TIMEOUT));
    }

    private ClickOptions() {}
}
