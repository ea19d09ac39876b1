package dev.tideway.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.SensorReading;
import dev.tideway.connectors.files.parquet.LakeSchemas;
import dev.tideway.connectors.files.parquet.ParquetRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet through FileSink on file://: every row once, typed, compacted, partitions marked. */
class ParquetFileSinkITCase {
    private static final Instant T0 = Instant.parse("2026-03-01T22:30:00Z");
    private static final int RECORDS = 3_000;

    @TempDir Path checkpoints;

    @Test
    void compactionWritesFewerLargerFilesWithTheSameRows(
            @TempDir Path plain, @TempDir Path compacted) throws Exception {
        write(plain, false);
        write(compacted, true);

        Lake withoutCompaction = Lake.read(plain);
        Lake withCompaction = Lake.read(compacted);
        List<SensorReading> expected = new ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            expected.add(reading(i));
        }
        assertThat(withoutCompaction.rows).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(withCompaction.rows).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(withCompaction.filesByPartition.keySet())
                .containsExactly(
                        "sensor_readings/dt=2026-03-01/hour=22",
                        "sensor_readings/dt=2026-03-01/hour=23",
                        "sensor_readings/dt=2026-03-02/hour=00");
        assertThat(withCompaction.fileCount()).isLessThan(withoutCompaction.fileCount());
        // A bounded run ends with the watermark at +inf: every partition is complete.
        assertThat(withCompaction.markedPartitions)
                .isEqualTo(withCompaction.filesByPartition.keySet());
        System.out.printf(
                "files without compaction %d (mean %d bytes), with compaction %d (mean %d bytes)%n",
                withoutCompaction.fileCount(),
                withoutCompaction.meanFileBytes(),
                withCompaction.fileCount(),
                withCompaction.meanFileBytes());
    }

    private void write(Path lake, boolean compaction) throws Exception {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", "100ms");
        config.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        config.set(FileSinkOptions.COMPACTION, compaction);
        config.set(FileSinkOptions.COMPACTION_CHECKPOINTS, 5);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        DataGeneratorSource<SensorReading> source =
                new DataGeneratorSource<>(
                        (GeneratorFunction<Long, SensorReading>) ParquetFileSinkITCase::reading,
                        RECORDS,
                        RateLimiterStrategy.perSecond(1_500),
                        Types.POJO(SensorReading.class));
        env.fromSource(
                        source,
                        WatermarkStrategy.<SensorReading>forMonotonousTimestamps()
                                .withTimestampAssigner((r, ts) -> r.eventTime),
                        "readings")
                .sinkTo(
                        EventFileSinks.parquet(
                                config,
                                lake.toUri().toString(),
                                "sensor_readings",
                                LakeSchemas.SENSOR_READING,
                                r -> r.eventTime,
                                "test-lake"))
                .uid("test-lake-sink");
        env.execute("parquet sink test");
    }

    /** Two seconds apart from 22:30: three hourly partitions over two days. */
    private static SensorReading reading(long i) {
        return new SensorReading(
                "r-" + i,
                "s-" + (i % 7),
                "plant-a",
                "temperature",
                20.0 + (i % 13) / 4.0,
                "celsius",
                T0.plusSeconds(i * 2).toEpochMilli());
    }

    /** What a reader of the lake sees: committed Parquet files, rows, markers. */
    record Lake(
            Map<String, List<Path>> filesByPartition,
            List<SensorReading> rows,
            java.util.Set<String> markedPartitions) {

        static Lake read(Path root) throws Exception {
            Map<String, List<Path>> files = new TreeMap<>();
            List<SensorReading> rows = new ArrayList<>();
            java.util.Set<String> marked = new java.util.TreeSet<>();
            try (Stream<Path> all = Files.walk(root)) {
                for (Path file : all.filter(Files::isRegularFile).toList()) {
                    String partition = root.relativize(file.getParent()).toString();
                    String name = file.getFileName().toString();
                    if (name.equals("_SUCCESS")) {
                        marked.add(partition);
                    } else if (!name.startsWith(".") && !name.startsWith("_")) {
                        files.computeIfAbsent(partition, p -> new ArrayList<>()).add(file);
                        rows.addAll(
                                ParquetRecords.read(
                                        new org.apache.flink.core.fs.Path(file.toUri()),
                                        LakeSchemas.SENSOR_READING));
                    }
                }
            }
            return new Lake(files, rows, marked);
        }

        int fileCount() {
            return filesByPartition.values().stream().mapToInt(List::size).sum();
        }

        long meanFileBytes() throws Exception {
            long total = 0;
            for (List<Path> files : filesByPartition.values()) {
                for (Path f : files) {
                    total += Files.size(f);
                }
            }
            return total / Math.max(1, fileCount());
        }
    }
}
