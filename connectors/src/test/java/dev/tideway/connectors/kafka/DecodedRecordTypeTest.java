package dev.tideway.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.testing.SampleTransactions;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DecodedRecordTypeTest {
    private final TypeSerializer<DecodedRecord<CardTransaction>> serializer =
            new DecodedRecordType<>(CardTransaction.class)
                    .createSerializer(new SerializerConfigImpl());

    private static DecodedRecord<CardTransaction> record() {
        CardTransaction t = SampleTransactions.approved("tx-1", "card-1", 1_700_000_000_000L);
        return DecodedRecord.ofEvent(t, "transactions", 3, 42);
    }

    /** The chained hop from the source to the split passes the record itself, not a deep copy. */
    @Test
    void aCopyIsTheRecordItself() {
        DecodedRecord<CardTransaction> record = record();

        assertThat(serializer.copy(record)).isSameAs(record);
        assertThat(serializer.copy(record, serializer.createInstance())).isSameAs(record);
        assertThat(serializer.duplicate().copy(record)).isSameAs(record);
    }

    /** Should the chain be broken, the records still travel as the POJOs they are. */
    @Test
    void itSerializesAsThePojo() throws Exception {
        DecodedRecord<CardTransaction> record = record();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);

        DecodedRecord<CardTransaction> back =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back).isNotSameAs(record).usingRecursiveComparison().isEqualTo(record);
    }
}
