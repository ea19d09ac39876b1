package dev.tideway.connectors.files;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** When the file sinks start a new part file. Parts are committed on checkpoints either way. */
public final class FileSinkOptions {

    public static final ConfigOption<MemorySize> MAX_PART_SIZE =
            ConfigOptions.key("tideway.files.rolling.max-part-size")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(128))
                    .withDescription("A part file that reaches this size is closed.");

    public static final ConfigOption<Duration> ROLLOVER_INTERVAL =
            ConfigOptions.key("tideway.files.rolling.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription("A part file open this long is closed.");

    public static final ConfigOption<Duration> INACTIVITY_INTERVAL =
            ConfigOptions.key("tideway.files.rolling.inactivity")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A part file that received nothing for this long is closed, so a"
                                    + " quiet partition's data becomes visible.");

    /** Parquet page compression. */
    public enum Compression {
        SNAPPY,
        ZSTD
    }

    public static final ConfigOption<Compression> PARQUET_COMPRESSION =
            ConfigOptions.key("tideway.files.parquet.compression")
                    .enumType(Compression.class)
                    .defaultValue(Compression.SNAPPY)
                    .withDescription("SNAPPY (fast) or ZSTD (smaller files, a little more CPU).");

    public static final ConfigOption<Boolean> COMPACTION =
            ConfigOptions.key("tideway.files.compaction.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Merge the small Parquet files that every checkpoint leaves into"
                                    + " larger ones before they are committed.");

    public static final ConfigOption<Integer> COMPACTION_CHECKPOINTS =
            ConfigOptions.key("tideway.files.compaction.checkpoints")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Compact the files of this many checkpoints together (sooner if"
                                    + " they reach the target size). Files become visible only"
                                    + " then: more checkpoints, fewer files, later visibility.");

    public static final ConfigOption<MemorySize> COMPACTION_TARGET_SIZE =
            ConfigOptions.key("tideway.files.compaction.target-size")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription("Compact as soon as this much data is waiting.");

    /** The rolling options of the JSON-lines sinks. */
    public static java.util.List<ConfigOption<?>> rolling() {
        return java.util.List.of(MAX_PART_SIZE, ROLLOVER_INTERVAL, INACTIVITY_INTERVAL);
    }

    /** The options of the Parquet sinks. */
    public static java.util.List<ConfigOption<?>> parquet() {
        return java.util.List.of(
                PARQUET_COMPRESSION, COMPACTION, COMPACTION_CHECKPOINTS, COMPACTION_TARGET_SIZE);
    }

    private FileSinkOptions() {}
}
