package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RecurringStringsTest {

    /** Each string as writeUTF writes it, followed by an int that must still read right. */
    private static byte[] written(String... strings) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (int i = 0; i < strings.length; i++) {
            out.writeUTF(strings[i]);
            out.writeInt(i);
        }
        return out.getCopyOfBuffer();
    }

    @Test
    void readsWhatWriteUtfWroteAndHandsOutOneInstancePerString() throws Exception {
        RecurringStrings strings = new RecurringStrings();
        byte[] bytes = written("card-testing", "déclin-ß", "card-testing", "card-test", "", "");
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String first = strings.read(in, bytes);
        assertThat(in.readInt()).isZero();
        assertThat(strings.read(in, bytes)).isEqualTo("déclin-ß");
        assertThat(in.readInt()).isEqualTo(1);
        assertThat(strings.read(in, bytes)).isSameAs(first).isEqualTo("card-testing");
        assertThat(in.readInt()).isEqualTo(2);
        assertThat(strings.read(in, bytes)).as("a prefix is another string").isEqualTo("card-test");
        assertThat(in.readInt()).isEqualTo(3);
        assertThat(strings.read(in, bytes)).isEmpty();
        assertThat(in.readInt()).isEqualTo(4);
        assertThat(strings.read(in, bytes)).isEmpty();
        assertThat(in.readInt()).isEqualTo(5);
        assertThat(in.available()).isZero();
    }

    @Test
    void readsAStringInTheMiddleOfALargerBuffer() throws Exception {
        RecurringStrings strings = new RecurringStrings();
        byte[] bytes = written("a", "rule-1", "rule-1");
        DataInputDeserializer in = new DataInputDeserializer();
        // Start after the first string and its int, and end before the last int.
        in.setBuffer(bytes, 7, bytes.length - 7 - 4);
        assertThat(strings.read(in, bytes)).isEqualTo("rule-1");
        assertThat(in.readInt()).isEqualTo(1);
        assertThat(strings.read(in, bytes)).isEqualTo("rule-1");
        assertThat(in.available()).isZero();
    }

    @Test
    void pastItsCapacityStringsAreStillReadRight() throws Exception {
        RecurringStrings strings = new RecurringStrings();
        for (int i = 0; i < RecurringStrings.CAPACITY + 10; i++) {
            byte[] bytes = written("rule-" + i);
            assertThat(strings.read(new DataInputDeserializer(bytes), bytes))
                    .isEqualTo("rule-" + i);
        }
        byte[] bytes = written("rule-70");
        assertThat(strings.read(new DataInputDeserializer(bytes), bytes)).isEqualTo("rule-70");
    }
}
