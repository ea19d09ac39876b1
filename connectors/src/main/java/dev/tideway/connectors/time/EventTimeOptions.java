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

    public static final ConfigOption<Duration> MAX_PARTITION_DRIFT =
            ConfigOptions.key("tideway.event-time.max-partition-drift")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "While a job catches up on a backlog, its source reads some partitions"
                                    + " further ahead in event time than others, and everything"
                                    + " read ahead of the slowest waits in memory for the"
                                    + " watermark. With this set, a partition whose watermark"
                                    + " is more than this ahead of its source's slowest is"
                                    + " paused until the others catch up (Flink's split"
                                    + " watermark alignment). The bound is loose: a partition"
                                    + " is paused only at the next check, and still hands out"
                                    + " what it fetched before. Bounded reads"
                                    + " (tideway.kafka.bounded) do not align: in"
                                    + " flink-connector-kafka 5.0.0-2.2 a partition that ends"
                                    + " while paused fails the source (FLINK-39728). Unset: no"
                                    + " alignment.");

    public static final ConfigOption<Duration> DRIFT_CHECK_INTERVAL =
            ConfigOptions.key("tideway.event-time.drift-check-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(100))
                    .withDescription(
                            "How often the sources' partitions compare their watermarks when"
                                    + " max-partition-drift is set. In Flink 2.2 a paused"
                                    + " partition waits for the next check, so a catching-up"
                                    + " job advances at most max-partition-drift of event time"
                                    + " per interval (FLINK-37399): Flink's own 1 s would cap"
                                    + " it.");

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
        return java.util.List.of(
                MAX_OUT_OF_ORDERNESS,
                IDLENESS,
                MAX_PARTITION_DRIFT,
                DRIFT_CHECK_INTERVAL,
                MAX_FUTURE_SKEW,
                MAX_RECORD_BYTES);
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
