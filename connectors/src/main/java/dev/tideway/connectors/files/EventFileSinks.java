package dev.tideway.connectors.files;

import dev.tideway.connectors.files.parquet.ParquetRecordSchema;
import dev.tideway.connectors.files.parquet.ParquetRecords;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * File sinks for job outputs, partitioned by event time. Exactly-once: part files become visible
 * (lose their leading dot) only when the checkpoint that covers them completes.
 *
 * <pre>{@code
 * FileSink<SensorAggregate> sink =
 *     EventFileSinks.jsonLines(config, "file:///data/lake", "sensor_aggregates", format);
 * }</pre>
 */
public final class EventFileSinks {

    /** Suffix of committed part files; readers skip names starting with "." or "_". */
    public static final String JSON_LINES_SUFFIX = ".jsonl";

    /** One JSON document per line under {@code basePath/<eventType>/dt=.../hour=.../}. */
    public static <T> FileSink<T> jsonLines(
            ReadableConfig options, String basePath, String eventType, JsonLineFormat<T> format) {
        Objects.requireNonNull(format, "format");
        checkNames(basePath, eventType);
        return FileSink.forRowFormat(new Path(basePath), new JsonLineEncoder<>(format))
                .withBucketAssigner(new EventTimePartitions<>(eventType, format))
                .withRollingPolicy(
                        DefaultRollingPolicy.builder()
                                .withMaxPartSize(options.get(FileSinkOptions.MAX_PART_SIZE))
                                .withRolloverInterval(
                                        options.get(FileSinkOptions.ROLLOVER_INTERVAL))
                                .withInactivityInterval(
                                        options.get(FileSinkOptions.INACTIVITY_INTERVAL))
                                .build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("part")
                                .withPartSuffix(JSON_LINES_SUFFIX)
                                .build())
                .build();
    }

    /** Suffix of committed Parquet files. */
    public static final String PARQUET_SUFFIX = ".parquet";

    /**
     * Parquet files under {@code basePath/<eventType>/dt=.../hour=.../}, exactly once, compacted
     * (see {@link FileSinkOptions#COMPACTION}), with {@code _SUCCESS} in each complete partition.
     *
     * @param uidPrefix stable uid prefix of the operators the sink adds (its partition marker)
     */
    public static <T> PartitionMarkingFileSink<T> parquet(
            ReadableConfig options,
            String basePath,
            String eventType,
            ParquetRecordSchema<T> schema,
            EventTimeOf<T> eventTime,
            String uidPrefix) {
        checkNames(basePath, eventType);
        Objects.requireNonNull(schema, "schema");
        if (options.get(CheckpointingOptions.ENABLE_UNALIGNED)) {
            // The partition marker relies on barriers not overtaking the writers' file
            // announcements: an unaligned barrier could let it mark a partition early.
            throw new IllegalArgumentException(
                    "The Parquet sink's _SUCCESS markers need aligned checkpoints: set "
                            + CheckpointingOptions.ENABLE_UNALIGNED.key()
                            + ": false for jobs that write the lake (the low-latency profile"
                            + " turns it on)");
        }
        Objects.requireNonNull(eventTime, "eventTime");
        CompressionCodecName compression =
                CompressionCodecName.valueOf(
                        options.get(FileSinkOptions.PARQUET_COMPRESSION).name());
        FileSink.DefaultBulkFormatBuilder<T> builder =
                FileSink.forBulkFormat(
                                new Path(basePath),
                                ParquetRecords.writerFactory(schema, compression))
                        .withBucketAssigner(new EventTimePartitions<>(eventType, eventTime))
                        // A Parquet file is complete only when closed: roll on every checkpoint.
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(
                                OutputFileConfig.builder()
                                        .withPartPrefix("part")
                                        .withPartSuffix(PARQUET_SUFFIX)
                                        .build());
        if (options.get(FileSinkOptions.COMPACTION)) {
            builder.enableCompact(
                    FileCompactStrategy.Builder.newBuilder()
                            .enableCompactionOnCheckpoint(
                                    options.get(FileSinkOptions.COMPACTION_CHECKPOINTS))
                            .setSizeThreshold(
                                    options.get(FileSinkOptions.COMPACTION_TARGET_SIZE).getBytes())
                            .setNumCompactThreads(1)
                            .build(),
                    new RecordWiseFileCompactor<>(ParquetRecords.compactionReader(schema)));
        }
        return new PartitionMarkingFileSink<>(builder.build(), basePath, uidPrefix);
    }

    private static void checkNames(String basePath, String eventType) {
        if (basePath == null || basePath.isBlank()) {
            throw new IllegalArgumentException(
                    "The file sink for " + eventType + " needs an output path; none was given");
        }
        if (eventType == null || !eventType.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "Event type '" + eventType + "' must be lower_snake_case: it is a directory");
        }
    }

    private static final class JsonLineEncoder<T> implements Encoder<T> {
        private static final byte[] NEWLINE = "\n".getBytes(StandardCharsets.UTF_8);
        private final JsonLineFormat<T> format;

        JsonLineEncoder(JsonLineFormat<T> format) {
            this.format = format;
        }

        @Override
        public void encode(T record, java.io.OutputStream stream) throws java.io.IOException {
            stream.write(format.toJson(record));
            stream.write(NEWLINE);
        }
    }

    private EventFileSinks() {}
}
