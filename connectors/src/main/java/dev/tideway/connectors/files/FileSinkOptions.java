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

    private FileSinkOptions() {}
}
