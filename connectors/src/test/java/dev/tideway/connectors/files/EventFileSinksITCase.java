package dev.tideway.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.SensorReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileSinksITCase {
    private static final Instant T0 = Instant.parse("2026-03-01T22:58:00Z");

    @TempDir Path lake;
    @TempDir Path checkpoints;

    @Test
    void writesEveryRecordOnceIntoItsEventTimePartition() throws Exception {
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // A minute apart from 22:58 to 00:57: three hours over two days.
            readings.add(reading("r-" + i, T0.plusSeconds(i * 60L)));
        }
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", "200ms");
        config.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        SensorReadingCodec codec = new SensorReadingCodec();
        env.fromData(readings, Types.POJO(SensorReading.class))
                .sinkTo(
                        EventFileSinks.jsonLines(
                                config,
                                lake.toUri().toString(),
                                "sensor_readings",
                                JsonLineFormat.of(codec)));
        env.execute("file sink test");

        Map<String, List<String>> linesByPartition = new TreeMap<>();
        try (Stream<Path> files = Files.walk(lake)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(file.getFileName().toString())
                        .as("only committed part files are left")
                        .startsWith("part")
                        .endsWith(EventFileSinks.JSON_LINES_SUFFIX);
                String partition = lake.relativize(file.getParent()).toString();
                linesByPartition
                        .computeIfAbsent(partition, p -> new ArrayList<>())
                        .addAll(Files.readAllLines(file));
            }
        }
        assertThat(linesByPartition.keySet())
                .containsExactly(
                        "sensor_readings/dt=2026-03-01/hour=22",
                        "sensor_readings/dt=2026-03-01/hour=23",
                        "sensor_readings/dt=2026-03-02/hour=00");
        List<SensorReading> readBack = new ArrayList<>();
        for (var partition : linesByPartition.entrySet()) {
            for (String line : partition.getValue()) {
                SensorReading r = codec.decode(line.getBytes()).value();
                assertThat(EventTimePartitions.partitionOf("sensor_readings", r.eventTime))
                        .isEqualTo(partition.getKey());
                readBack.add(r);
            }
        }
        assertThat(readBack).containsExactlyInAnyOrderElementsOf(readings);
    }

    @Test
    void rejectsAMissingPathAndADirectoryUnfriendlyEventType() {
        var format = JsonLineFormat.of(new SensorReadingCodec());
        assertThatThrownBy(() -> EventFileSinks.jsonLines(new Configuration(), " ", "x", format))
                .hasMessageContaining("needs an output path");
        assertThatThrownBy(
                        () ->
                                EventFileSinks.jsonLines(
                                        new Configuration(),
                                        "file:///tmp/x",
                                        "Sensor/Read",
                                        format))
                .hasMessageContaining("lower_snake_case");
    }

    @Test
    void theParquetSinkRefusesUnalignedCheckpointsNamingTheSetting() {
        Configuration unaligned = new Configuration();
        unaligned.setString("execution.checkpointing.unaligned.enabled", "true");
        assertThatThrownBy(
                        () ->
                                EventFileSinks.parquet(
                                        unaligned,
                                        "file:///tmp/x",
                                        "sensor_readings",
                                        dev.tideway.connectors.files.parquet.LakeSchemas
                                                .SENSOR_READING,
                                        r -> r.eventTime,
                                        "test"))
                .hasMessageContaining("execution.checkpointing.unaligned.enabled");
    }

    private static SensorReading reading(String id, Instant time) {
        SensorReading r = new SensorReading();
        r.eventId = id;
        r.sensorId = "s-1";
        r.site = "plant-a";
        r.metric = "temperature";
        r.value = 20.5;
        r.unit = "celsius";
        r.eventTime = time.toEpochMilli();
        return r;
    }
}
