package dev.tideway.connectors.files.parquet;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The Parquet columns of one record type, declared field by field: the schema readers see is
 * written here, not derived by reflection, so it is stable and documented (README, "The lake").
 *
 * <pre>{@code
 * ParquetRecordSchema<SensorReading> schema =
 *     ParquetRecordSchema.of("sensor_reading", SensorReading::new)
 *         .string("event_id", r -> r.eventId, (r, v) -> r.eventId = v)
 *         .float64("value", r -> r.value, (r, v) -> r.value = v);
 * }</pre>
 */
public final class ParquetRecordSchema<T> implements Serializable {
    /** Decimals are stored with this scale (the codecs reject amounts with more digits). */
    public static final int DECIMAL_SCALE = 4;

    public static final int DECIMAL_PRECISION = 18;

    private final String name;
    private final Factory<T> factory;
    private final List<Column<T, ?>> columns = new ArrayList<>();

    private ParquetRecordSchema(String name, Factory<T> factory) {
        this.name = name;
        this.factory = factory;
    }

    public static <T> ParquetRecordSchema<T> of(String name, Factory<T> factory) {
        return new ParquetRecordSchema<>(name, factory);
    }

    /** UTF-8 string; optional (a null value is a null cell). */
    public ParquetRecordSchema<T> string(
            String column, Getter<T, String> get, Setter<T, String> set) {
        return add(column, Kind.STRING, get, set);
    }

    /** An enum, stored as its name (a UTF-8 string with the ENUM annotation). */
    public <E extends Enum<E>> ParquetRecordSchema<T> enumName(
            String column, Class<E> type, Getter<T, E> get, Setter<T, E> set) {
        return add(
                column,
                Kind.ENUM,
                t -> {
                    E value = get.get(t);
                    return value == null ? null : value.name();
                },
                (t, v) -> set.set(t, v == null ? null : Enum.valueOf(type, (String) v)));
    }

    public ParquetRecordSchema<T> float64(
            String column, Getter<T, Double> get, Setter<T, Double> set) {
        return add(column, Kind.DOUBLE, get, set);
    }

    public ParquetRecordSchema<T> bool(
            String column, Getter<T, Boolean> get, Setter<T, Boolean> set) {
        return add(column, Kind.BOOLEAN, get, set);
    }

    /** A list of strings, as Parquet's standard three-level LIST of UTF-8 strings. */
    public ParquetRecordSchema<T> stringList(
            String column, Getter<T, List<String>> get, Setter<T, List<String>> set) {
        return add(column, Kind.STRING_LIST, get, set);
    }

    public ParquetRecordSchema<T> int32(
            String column, Getter<T, Integer> get, Setter<T, Integer> set) {
        return add(column, Kind.INT32, get, set);
    }

    public ParquetRecordSchema<T> int64(String column, Getter<T, Long> get, Setter<T, Long> set) {
        return add(column, Kind.INT64, get, set);
    }

    /** Epoch milliseconds, stored as a UTC timestamp (what query engines show as time). */
    public ParquetRecordSchema<T> timestampMillis(
            String column, Getter<T, Long> get, Setter<T, Long> set) {
        return add(column, Kind.TIMESTAMP_MILLIS, get, set);
    }

    /** decimal(18, 4), exact: money, never a double. */
    public ParquetRecordSchema<T> decimal(
            String column, Getter<T, BigDecimal> get, Setter<T, BigDecimal> set) {
        return add(column, Kind.DECIMAL, get, set);
    }

    /** Raw bytes, such as a dead letter's original payload. */
    public ParquetRecordSchema<T> bytes(
            String column, Getter<T, byte[]> get, Setter<T, byte[]> set) {
        return add(column, Kind.BYTES, get, set);
    }

    @SuppressWarnings("unchecked")
    private <V> ParquetRecordSchema<T> add(
            String column, Kind kind, Getter<T, V> get, Setter<T, V> set) {
        columns.add(new Column<>(column, kind, get, (Setter<T, Object>) set));
        return this;
    }

    public String name() {
        return name;
    }

    public List<String> columnNames() {
        return columns.stream().map(c -> c.name).toList();
    }

    /** The Parquet message type; every column optional, so a null field is a null cell. */
    public MessageType messageType() {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Column<T, ?> c : columns) {
            switch (c.kind) {
                case STRING ->
                        message.optional(PrimitiveTypeName.BINARY)
                                .as(LogicalTypeAnnotation.stringType())
                                .named(c.name);
                case ENUM ->
                        message.optional(PrimitiveTypeName.BINARY)
                                .as(LogicalTypeAnnotation.enumType())
                                .named(c.name);
                case BYTES -> message.optional(PrimitiveTypeName.BINARY).named(c.name);
                case DOUBLE -> message.optional(PrimitiveTypeName.DOUBLE).named(c.name);
                case BOOLEAN -> message.optional(PrimitiveTypeName.BOOLEAN).named(c.name);
                case STRING_LIST ->
                        message.optionalList()
                                .optionalElement(PrimitiveTypeName.BINARY)
                                .as(LogicalTypeAnnotation.stringType())
                                .named(c.name);
                case INT32 -> message.optional(PrimitiveTypeName.INT32).named(c.name);
                case INT64 -> message.optional(PrimitiveTypeName.INT64).named(c.name);
                case TIMESTAMP_MILLIS ->
                        message.optional(PrimitiveTypeName.INT64)
                                .as(
                                        LogicalTypeAnnotation.timestampType(
                                                true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                                .named(c.name);
                case DECIMAL ->
                        message.optional(PrimitiveTypeName.INT64)
                                .as(
                                        LogicalTypeAnnotation.decimalType(
                                                DECIMAL_SCALE, DECIMAL_PRECISION))
                                .named(c.name);
            }
        }
        return message.named(name);
    }

    /** Writes one record to Parquet's record consumer, skipping null cells. */
    void write(T record, RecordConsumer out) {
        out.startMessage();
        for (int i = 0; i < columns.size(); i++) {
            Column<T, ?> c = columns.get(i);
            Object value = c.get.get(record);
            if (value == null) {
                continue;
            }
            out.startField(c.name, i);
            switch (c.kind) {
                case STRING, ENUM -> out.addBinary(Binary.fromString((String) value));
                case BYTES -> out.addBinary(Binary.fromConstantByteArray((byte[]) value));
                case DOUBLE -> out.addDouble((Double) value);
                case BOOLEAN -> out.addBoolean((Boolean) value);
                case STRING_LIST -> writeList(out, (List<?>) value);
                case INT32 -> out.addInteger((Integer) value);
                case INT64, TIMESTAMP_MILLIS -> out.addLong((Long) value);
                case DECIMAL ->
                        out.addLong(
                                ((BigDecimal) value)
                                        .setScale(DECIMAL_SCALE)
                                        .unscaledValue()
                                        .longValueExact());
            }
            out.endField(c.name, i);
        }
        out.endMessage();
    }

    /** The standard LIST layout: {@code <column> (LIST) { repeated group list { element } }}. */
    private static void writeList(RecordConsumer out, List<?> values) {
        out.startGroup();
        if (!values.isEmpty()) {
            out.startField("list", 0);
            for (Object value : values) {
                out.startGroup();
                if (value != null) {
                    out.startField("element", 0);
                    out.addBinary(Binary.fromString((String) value));
                    out.endField("element", 0);
                }
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
    }

    T newRecord() {
        return factory.create();
    }

    /** Sets column {@code index} of a record from a Parquet value (Binary, Long, ...). */
    void set(T record, int index, Object parquetValue) {
        Column<T, ?> c = columns.get(index);
        Object value =
                switch (c.kind) {
                    case STRING, ENUM -> ((Binary) parquetValue).toStringUsingUTF8();
                    case BYTES -> ((Binary) parquetValue).getBytes();
                    case DECIMAL -> BigDecimal.valueOf((Long) parquetValue, DECIMAL_SCALE);
                    case STRING_LIST -> parquetValue; // a List<String> built by the reader
                    default -> parquetValue;
                };
        c.set.set(record, value);
    }

    int columnCount() {
        return columns.size();
    }

    boolean isList(int index) {
        return columns.get(index).kind == Kind.STRING_LIST;
    }

    enum Kind {
        STRING,
        ENUM,
        BYTES,
        DOUBLE,
        BOOLEAN,
        STRING_LIST,
        INT32,
        INT64,
        TIMESTAMP_MILLIS,
        DECIMAL
    }

    private record Column<T, V>(String name, Kind kind, Getter<T, V> get, Setter<T, Object> set)
            implements Serializable {}

    /** Creates an empty record to read into. */
    @FunctionalInterface
    public interface Factory<T> extends Serializable {
        T create();
    }

    @FunctionalInterface
    public interface Getter<T, V> extends Serializable {
        V get(T record);
    }

    @FunctionalInterface
    public interface Setter<T, V> extends Serializable {
        void set(T record, V value);
    }
}
