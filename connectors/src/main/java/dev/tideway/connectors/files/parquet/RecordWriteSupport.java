package dev.tideway.connectors.files.parquet;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

/** Writes records through their {@link ParquetRecordSchema}. */
final class RecordWriteSupport<T> extends WriteSupport<T> {
    private final ParquetRecordSchema<T> schema;
    private RecordConsumer consumer;

    RecordWriteSupport(ParquetRecordSchema<T> schema) {
        this.schema = schema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(schema.messageType(), Map.of("tideway.schema", schema.name()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(T record) {
        schema.write(record, consumer);
    }
}
