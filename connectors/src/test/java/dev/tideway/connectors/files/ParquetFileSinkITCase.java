package dev.tideway.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.SensorReading;
import dev.tideway.connectors.files.parquet.LakeSchemas;
import dev.tideway.connectors.testing.LakeContents;
import dev.tideway.connectors.testing.S3Server;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Parquet through FileSink on file://: every row once, typed, compacted, partitions marked. */
class ParquetFileSinkITCase {
    private static final Instant T0 = Instant.parse("2026-03-01T22:30:00Z");
    private static final int RECORDS = 3_000;

    @RegisterExtension static final S3Server S3 = new S3Server();

    @TempDir Path checkpoints;

    @BeforeAll
    static void loadTheS3Plugin() {
        PluginFileSystems.initialize(Path.of("target", "plugins"), S3.flinkConfig());
    }

    @Test
    void compactionWritesFewerLargerFilesWithTheSameRows(
            @TempDir Path plain, @TempDir Path compacted) throws Exception {
        write(plain.toUri().toString(), false);
        write(compacted.toUri().toString(), true);

        var withoutCompaction = read(plain.toUri().toString());
        var withCompaction = read(compacted.toUri().toString());
        List<SensorReading> expected = new ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            expected.add(reading(i));
        }
        assertThat(withoutCompaction.rows()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(withCompaction.rows()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(withCompaction.filesByPartition().keySet())
                .containsExactly(
                        "sensor_readings/dt=2026-03-01/hour=22",
                        "sensor_readings/dt=2026-03-01/hour=23",
                        "sensor_readings/dt=2026-03-02/hour=00");
        assertThat(withCompaction.fileCount()).isLessThan(withoutCompaction.fileCount());
        // A bounded run ends with the watermark at +inf: every partition is complete.
        assertThat(withCompaction.marked()).isEqualTo(withCompaction.filesByPartition().keySet());
        System.out.printf(
                "files without compaction %d (mean %d bytes), with compaction %d (mean %d bytes)%n",
                withoutCompaction.fileCount(),
                withoutCompaction.meanFileBytes(),
                withCompaction.fileCount(),
                withCompaction.meanFileBytes());
    }

    static LakeContents<SensorReading> read(String root) throws Exception {
        return LakeContents.read(root, "sensor_readings", LakeSchemas.SENSOR_READING);
    }

    @Test
    void theSameOnS3ThroughTheS3FileSystemPlugin() throws Exception {
        String root = "s3://" + S3Server.BUCKET + "/parquet-test";

        write(root, true);

        var lake = read(root);
        List<SensorReading> expected = new ArrayList<>();
        for (long i = 0; i < RECORDS; i++) {
            expected.add(reading(i));
        }
        assertThat(lake.rows()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lake.marked()).isEqualTo(lake.filesByPartition().keySet()).hasSize(3);
        assertThat(S3.bucketDirectory().resolve("parquet-test/sensor_readings"))
                .as("written through the S3 API into the server's storage")
                .isDirectory();
    }

    private void write(String lake, boolean compaction) throws Exception {
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
                                lake,
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
}
