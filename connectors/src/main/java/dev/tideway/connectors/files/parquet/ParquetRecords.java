package dev.tideway.connectors.files.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetInputFile;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;

/** Writing Parquet files of a {@link ParquetRecordSchema} from a FileSink, and reading them. */
public final class ParquetRecords {

    /** The bulk writer a FileSink uses: one Parquet file per part file. */
    public static <T> ParquetWriterFactory<T> writerFactory(
            ParquetRecordSchema<T> schema, CompressionCodecName compression) {
        return new ParquetWriterFactory<>(new Builder<>(schema, compression));
    }

    /** Every record of one Parquet file, through Flink's file systems (file://, s3://, ...). */
    public static <T> List<T> read(Path file, ParquetRecordSchema<T> schema) throws IOException {
        List<T> records = new ArrayList<>();
        try (ParquetReader<T> reader = open(file, schema)) {
            for (T record = reader.read(); record != null; record = reader.read()) {
                records.add(record);
            }
        }
        return records;
    }

    /** Reads Parquet part files back, record by record, for the FileSink's compaction. */
    public static <T> RecordWiseFileCompactor.Reader.Factory<T> compactionReader(
            ParquetRecordSchema<T> schema) {
        return file -> {
            ParquetReader<T> reader = open(file, schema);
            return new RecordWiseFileCompactor.Reader<>() {
                @Override
                public T read() throws IOException {
                    return reader.read();
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        };
    }

    private static <T> ParquetReader<T> open(Path file, ParquetRecordSchema<T> schema)
            throws IOException {
        FileSystem fs = file.getFileSystem();
        long length = fs.getFileStatus(file).getLen();
        FSDataInputStream in = fs.open(file);
        try {
            return new ReaderBuilder<>(new ParquetInputFile(in, length), schema).build();
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static final class Builder<T> implements ParquetBuilder<T> {
        private final ParquetRecordSchema<T> schema;
        private final CompressionCodecName compression;

        Builder(ParquetRecordSchema<T> schema, CompressionCodecName compression) {
            this.schema = schema;
            this.compression = compression;
        }

        @Override
        public ParquetWriter<T> createWriter(OutputFile out) throws IOException {
            return new WriterBuilder<>(out, schema).withCompressionCodec(compression).build();
        }
    }

    private static final class WriterBuilder<T> extends ParquetWriter.Builder<T, WriterBuilder<T>> {
        private final ParquetRecordSchema<T> schema;

        WriterBuilder(OutputFile out, ParquetRecordSchema<T> schema) {
            super(out);
            this.schema = schema;
        }

        @Override
        protected WriterBuilder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new RecordWriteSupport<>(schema);
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return new RecordWriteSupport<>(schema);
        }
    }

    private static final class ReaderBuilder<T> extends ParquetReader.Builder<T> {
        private final ParquetRecordSchema<T> schema;

        ReaderBuilder(InputFile file, ParquetRecordSchema<T> schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected ReadSupport<T> getReadSupport() {
            return new RecordReadSupport<>(schema);
        }
    }

    private ParquetRecords() {}
}
