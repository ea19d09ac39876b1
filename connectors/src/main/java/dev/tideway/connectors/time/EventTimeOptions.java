package dev.tideway.connectors.time;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Event-time settings shared by every job. */
public final class EventTimeOptions {

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("tideway.event-time.max-out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How late an event may arrive behind the newest one of its"
                                    + " partition and still count; later ones are late events.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("tideway.event-time.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A partition silent this long stops holding back the watermark, so"
                                    + " a quiet partition does not stall windows and timers.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("tideway.event-time.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Events stamped further than this ahead of the wall clock are bad"
                                    + " input (dead letters), not time.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("tideway.input.max-record-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription("Larger input records are dead letters, not events.");

    /** Every event-time and input option, for the option lists of jobs. */
    public static java.util.List<ConfigOption<?>> all() {
        return java.util.List.of(MAX_OUT_OF_ORDERNESS, IDLENESS, MAX_FUTURE_SKEW, MAX_RECORD_BYTES);
    }

    /** The limits decoders enforce, from these options. */
    public static dev.tideway.common.codec.CodecSettings codecSettings(
            org.apache.flink.configuration.ReadableConfig config) {
        return new dev.tideway.common.codec.CodecSettings(
                config.get(MAX_RECORD_BYTES),
                config.get(MAX_FUTURE_SKEW),
                java.time.Clock.systemUTC());
    }

    private EventTimeOptions() {}
}
