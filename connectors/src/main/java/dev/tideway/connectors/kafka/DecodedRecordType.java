package dev.tideway.connectors.kafka;

import dev.tideway.common.model.DeadLetter;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The type of the records the Kafka source hands to the dead-letter split: serialized as the POJO
 * it is, but never copied. Flink copies every record passed between chained operators (object reuse
 * is off, as it should be for user functions that keep records); here that deep copy of each
 * decoded event was 7.5 % of the source task's CPU in the fraud bench (profiled), for a record that
 * the deserializer creates, hands over once and never touches again, and that the split only reads.
 * Such a record is immutable in effect, so its copy is the record itself, as Flink does for
 * immutable types such as String.
 *
 * <p>Never in state: if the chain were broken, the records would be serialized with the POJO
 * serializer, whose snapshot this one also gives.
 */
final class DecodedRecordType<T> extends TypeInformation<DecodedRecord<T>> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<DecodedRecord<T>> pojo;

    @SuppressWarnings({"unchecked", "rawtypes"})
    DecodedRecordType(Class<T> eventType) {
        this.pojo =
                (TypeInformation)
                        Types.POJO(
                                DecodedRecord.class,
                                Map.of(
                                        "event", Types.POJO(eventType),
                                        "deadLetter", Types.POJO(DeadLetter.class),
                                        "sourceTopic", Types.STRING,
                                        "sourcePartition", Types.INT,
                                        "sourceOffset", Types.LONG));
    }

    @Override
    public TypeSerializer<DecodedRecord<T>> createSerializer(SerializerConfig config) {
        return new NotCopying<>(pojo.createSerializer(config));
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return pojo.getArity();
    }

    @Override
    public int getTotalFields() {
        return pojo.getTotalFields();
    }

    @Override
    public Class<DecodedRecord<T>> getTypeClass() {
        return pojo.getTypeClass();
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return "DecodedRecordType(" + pojo + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedRecordType && ((DecodedRecordType<?>) o).pojo.equals(pojo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(DecodedRecordType.class, pojo);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof DecodedRecordType;
    }

    /** The POJO serializer, except that a copy is the record itself. */
    static final class NotCopying<R> extends TypeSerializer<R> {
        private static final long serialVersionUID = 1L;

        private final TypeSerializer<R> pojo;

        NotCopying(TypeSerializer<R> pojo) {
            this.pojo = pojo;
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public TypeSerializer<R> duplicate() {
            TypeSerializer<R> duplicate = pojo.duplicate();
            return duplicate == pojo ? this : new NotCopying<>(duplicate);
        }

        @Override
        public R createInstance() {
            return pojo.createInstance();
        }

        @Override
        public R copy(R from) {
            return from;
        }

        @Override
        public R copy(R from, R reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return pojo.getLength();
        }

        @Override
        public void serialize(R record, DataOutputView target) throws IOException {
            pojo.serialize(record, target);
        }

        @Override
        public R deserialize(DataInputView source) throws IOException {
            return pojo.deserialize(source);
        }

        @Override
        public R deserialize(R reuse, DataInputView source) throws IOException {
            return pojo.deserialize(reuse, source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            pojo.copy(source, target);
        }

        @Override
        public TypeSerializerSnapshot<R> snapshotConfiguration() {
            return pojo.snapshotConfiguration();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NotCopying && ((NotCopying<?>) o).pojo.equals(pojo);
        }

        @Override
        public int hashCode() {
            return Objects.hash(NotCopying.class, pojo);
        }
    }
}
