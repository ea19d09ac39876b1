package dev.tideway.connectors.files.parquet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * Reads records back through their {@link ParquetRecordSchema}: what compaction and the tests use.
 * The file must have the schema's columns in the schema's order (Tideway wrote it).
 */
final class RecordReadSupport<T> extends ReadSupport<T> {
    private final ParquetRecordSchema<T> schema;

    RecordReadSupport(ParquetRecordSchema<T> schema) {
        this.schema = schema;
    }

    @Override
    public ReadContext init(InitContext context) {
        MessageType expected = schema.messageType();
        if (!context.getFileSchema().equals(expected)) {
            throw new IllegalStateException(
                    "Parquet file schema "
                            + context.getFileSchema()
                            + " is not Tideway's "
                            + schema.name()
                            + " schema "
                            + expected);
        }
        return new ReadContext(expected);
    }

    @Override
    public RecordMaterializer<T> prepareForRead(
            Configuration configuration,
            Map<String, String> keyValueMetaData,
            MessageType fileSchema,
            ReadContext readContext) {
        return new Materializer<>(schema);
    }

    private static final class Materializer<T> extends RecordMaterializer<T> {
        private final ParquetRecordSchema<T> schema;
        private final Converter[] columns;
        private T current;

        Materializer(ParquetRecordSchema<T> schema) {
            this.schema = schema;
            this.columns = new Converter[schema.columnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = schema.isList(i) ? new ListCell(i) : new Cell(i);
            }
        }

        private final GroupConverter root =
                new GroupConverter() {
                    @Override
                    public Converter getConverter(int fieldIndex) {
                        return columns[fieldIndex];
                    }

                    @Override
                    public void start() {
                        current = schema.newRecord();
                    }

                    @Override
                    public void end() {}
                };

        @Override
        public T getCurrentRecord() {
            return current;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        /** A LIST column: the group, its repeated "list" group, and the element in it. */
        private final class ListCell extends GroupConverter {
            private final int index;
            private List<String> values;
            private final GroupConverter repeated =
                    new GroupConverter() {
                        private final PrimitiveConverter element =
                                new PrimitiveConverter() {
                                    @Override
                                    public void addBinary(Binary value) {
                                        values.add(value.toStringUsingUTF8());
                                    }
                                };

                        @Override
                        public Converter getConverter(int fieldIndex) {
                            return element;
                        }

                        @Override
                        public void start() {}

                        @Override
                        public void end() {}
                    };

            ListCell(int index) {
                this.index = index;
            }

            @Override
            public Converter getConverter(int fieldIndex) {
                return repeated;
            }

            @Override
            public void start() {
                values = new ArrayList<>();
            }

            @Override
            public void end() {
                schema.set(current, index, values);
            }
        }

        private final class Cell extends PrimitiveConverter {
            private final int index;

            Cell(int index) {
                this.index = index;
            }

            @Override
            public void addBinary(Binary value) {
                schema.set(current, index, value);
            }

            @Override
            public void addDouble(double value) {
                schema.set(current, index, value);
            }

            @Override
            public void addBoolean(boolean value) {
                schema.set(current, index, value);
            }

            @Override
            public void addInt(int value) {
                schema.set(current, index, value);
            }

            @Override
            public void addLong(long value) {
                schema.set(current, index, value);
            }
        }
    }
}
