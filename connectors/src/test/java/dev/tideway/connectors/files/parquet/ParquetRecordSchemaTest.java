package dev.tideway.connectors.files.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every column kind survives a write and a read, nulls and empty lists included. */
class ParquetRecordSchemaTest {

    /** A record with one field of each kind. */
    public static class Row {
        public String text;
        public Kind kind;
        public byte[] bytes;
        public Double number;
        public Boolean flag;
        public List<String> tags;
        public Integer small;
        public Long big;
        public Long time;
        public BigDecimal money;

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && toString().equals(r.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return text
                    + "|"
                    + kind
                    + "|"
                    + (bytes == null ? null : new String(bytes))
                    + "|"
                    + number
                    + "|"
                    + flag
                    + "|"
                    + tags
                    + "|"
                    + small
                    + "|"
                    + big
                    + "|"
                    + time
                    + "|"
                    + (money == null ? null : money.stripTrailingZeros().toPlainString());
        }
    }

    enum Kind {
        A,
        B
    }

    static final ParquetRecordSchema<Row> SCHEMA =
            ParquetRecordSchema.of("row", Row::new)
                    .string("text", r -> r.text, (r, v) -> r.text = v)
                    .enumName("kind", Kind.class, r -> r.kind, (r, v) -> r.kind = v)
                    .bytes("bytes", r -> r.bytes, (r, v) -> r.bytes = v)
                    .float64("number", r -> r.number, (r, v) -> r.number = v)
                    .bool("flag", r -> r.flag, (r, v) -> r.flag = v)
                    .stringList("tags", r -> r.tags, (r, v) -> r.tags = v)
                    .int32("small", r -> r.small, (r, v) -> r.small = v)
                    .int64("big", r -> r.big, (r, v) -> r.big = v)
                    .timestampMillis("time", r -> r.time, (r, v) -> r.time = v)
                    .decimal("money", r -> r.money, (r, v) -> r.money = v);

    @TempDir java.nio.file.Path dir;

    @Test
    void everyKindRoundTrips() throws Exception {
        Row full = new Row();
        full.text = "héllo";
        full.kind = Kind.B;
        full.bytes = new byte[] {0, 1, 2, (byte) 255};
        full.number = -1.5;
        full.flag = true;
        full.tags = List.of("/cart", "/home");
        full.small = 7;
        full.big = 1L << 40;
        full.time = 1_795_000_000_123L;
        full.money = new BigDecimal("12.5");
        Row empty = new Row();
        empty.tags = new ArrayList<>();
        Row nulls = new Row();
        List<Row> rows = List.of(full, empty, nulls);

        Path file = new Path(dir.resolve("rows.parquet").toUri());
        BulkWriter<Row> writer =
                ParquetRecords.writerFactory(SCHEMA, CompressionCodecName.ZSTD)
                        .create(
                                file.getFileSystem()
                                        .create(file, FileSystem.WriteMode.NO_OVERWRITE));
        for (Row row : rows) {
            writer.addElement(row);
        }
        writer.finish();

        List<Row> read = ParquetRecords.read(file, SCHEMA);
        // A null cell stays null, an empty list stays empty.
        assertThat(read).containsExactlyElementsOf(rows);
        assertThat(read.get(0).money).isEqualByComparingTo("12.5");
    }
}
