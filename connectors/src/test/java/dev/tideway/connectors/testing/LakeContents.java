package dev.tideway.connectors.testing;

import dev.tideway.connectors.files.parquet.ParquetRecordSchema;
import dev.tideway.connectors.files.parquet.ParquetRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What a reader of one event type's lake directory sees, through Flink's file systems (file:// and
 * s3:// alike): committed Parquet files per partition, their rows, and the partitions marked
 * complete. Names starting with "." or "_" are not data, as for every lake reader.
 */
public record LakeContents<T>(
        Map<String, List<FileStatus>> filesByPartition,
        Map<String, List<T>> rowsByPartition,
        List<T> rows,
        Set<String> marked) {

    /** Reads {@code root/<eventType>/dt=.../hour=.../}. */
    public static <T> LakeContents<T> read(
            String root, String eventType, ParquetRecordSchema<T> schema) throws IOException {
        Map<String, List<FileStatus>> files = new TreeMap<>();
        Map<String, List<T>> rowsByPartition = new TreeMap<>();
        List<T> rows = new ArrayList<>();
        Set<String> marked = new TreeSet<>();
        Path typeDir = new Path(root, eventType);
        FileSystem fs = typeDir.getFileSystem();
        if (!fs.exists(typeDir)) {
            return new LakeContents<>(files, rowsByPartition, rows, marked);
        }
        for (FileStatus day : fs.listStatus(typeDir)) {
            for (FileStatus hour : fs.listStatus(day.getPath())) {
                if (!hour.isDir()) {
                    continue;
                }
                String partition =
                        eventType + "/" + day.getPath().getName() + "/" + hour.getPath().getName();
                for (FileStatus file : fs.listStatus(hour.getPath())) {
                    String name = file.getPath().getName();
                    if (name.equals("_SUCCESS")) {
                        marked.add(partition);
                    } else if (!name.startsWith(".") && !name.startsWith("_")) {
                        files.computeIfAbsent(partition, p -> new ArrayList<>()).add(file);
                        List<T> fileRows = ParquetRecords.read(file.getPath(), schema);
                        rowsByPartition
                                .computeIfAbsent(partition, p -> new ArrayList<>())
                                .addAll(fileRows);
                        rows.addAll(fileRows);
                    }
                }
            }
        }
        return new LakeContents<>(files, rowsByPartition, rows, marked);
    }

    public int fileCount() {
        return filesByPartition.values().stream().mapToInt(List::size).sum();
    }

    public long meanFileBytes() {
        long total =
                filesByPartition.values().stream()
                        .flatMap(List::stream)
                        .mapToLong(FileStatus::getLen)
                        .sum();
        return total / Math.max(1, fileCount());
    }
}
