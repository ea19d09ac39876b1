package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SeenIdsTest {
    private static byte[] id(String s) {
        return SeenIds.utf8(s);
    }

    private static SeenIds roundTrip(SeenIds ids) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(7); // something before, as in a key state
        ids.write(out);
        out.writeByte(9); // and after
        byte[] bytes = out.getCopyOfBuffer();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        assertThat(in.readByte()).isEqualTo((byte) 7);
        SeenIds read = SeenIds.read(in, bytes);
        assertThat(in.readByte()).as("reads exactly its own bytes").isEqualTo((byte) 9);
        return read;
    }

    @Test
    void findsOnlyTheIdsItWasGivenWhateverTheirLength() throws Exception {
        SeenIds ids = new SeenIds();
        ids.add(id("tx-1"), 1_000);
        ids.add(id("tx-10"), 2_000);
        ids.add(id("ü-é"), 3_000);
        SeenIds read = roundTrip(ids);
        assertThat(read.size()).isEqualTo(3);
        assertThat(read.contains(id("tx-1"))).isTrue();
        assertThat(read.contains(id("tx-10"))).isTrue();
        assertThat(read.contains(id("ü-é"))).isTrue();
        assertThat(read.contains(id("tx-"))).isFalse();
        assertThat(read.contains(id("tx-100"))).isFalse();
        // The same length, and the same last byte or not.
        assertThat(read.contains(id("tx-20"))).isFalse();
        assertThat(read.contains(id("tx-11"))).isFalse();
        assertThat(read.contains(id(""))).isFalse();
        assertThat(read.newestEventTime()).isEqualTo(3_000);
        read.add(id(""), 4_000);
        assertThat(read.contains(id(""))).isTrue();
        assertThat(read.newestEventTime()).isEqualTo(4_000);
    }

    @Test
    void forgetsTheOldestFirstAndKeepsOrderWhenAnIdComesOutOfOrder() throws Exception {
        SeenIds ids = new SeenIds();
        ids.add(id("a"), 1_000);
        ids.add(id("c"), 3_000);
        ids.add(id("b"), 2_000); // out of order: goes between a and c
        SeenIds read = roundTrip(ids);
        assertThat(read.forget(999)).isFalse();
        assertThat(read.forget(2_000)).isTrue();
        assertThat(read.contains(id("a"))).isFalse();
        assertThat(read.contains(id("b"))).isFalse();
        assertThat(read.contains(id("c"))).isTrue();
        read.add(id("d"), 4_000);
        SeenIds again = roundTrip(read);
        assertThat(again.size()).isEqualTo(2);
        assertThat(again.newestEventTime()).isEqualTo(4_000);
        assertThat(again.forget(4_000)).isTrue();
        assertThat(again.isEmpty()).isTrue();
        assertThat(roundTrip(again).isEmpty()).isTrue();
    }

    @Test
    void neverChangesTheBytesItWasReadFrom() throws Exception {
        SeenIds ids = new SeenIds();
        ids.add(id("a"), 1_000);
        DataOutputSerializer out = new DataOutputSerializer(64);
        ids.write(out);
        byte[] stored = out.getCopyOfBuffer();
        byte[] copy = stored.clone();
        SeenIds read = SeenIds.read(new DataInputDeserializer(stored), stored);
        read.add(id("b"), 500);
        read.forget(1_000);
        assertThat(stored).isEqualTo(copy);
        assertThat(read.contains(id("a"))).isFalse();
        assertThat(read.contains(id("b"))).isFalse();
    }

    @Test
    void removesOneIdWhereverItIsAndKeepsTheRest() throws Exception {
        SeenIds ids = new SeenIds();
        ids.add(id("a"), 1_000);
        ids.add(id("bb"), 2_000);
        ids.add(id("c"), 3_000);
        SeenIds read = roundTrip(ids);
        assertThat(read.remove(id("b"))).isFalse();
        assertThat(read.remove(id("c"))).isTrue();
        assertThat(read.newestEventTime()).as("newest after the newest went").isEqualTo(2_000);
        assertThat(read.remove(id("a"))).isTrue();
        SeenIds again = roundTrip(read);
        assertThat(again.size()).isEqualTo(1);
        assertThat(again.contains(id("bb"))).isTrue();
        assertThat(again.contains(id("a"))).isFalse();
        assertThat(again.remove(id("bb"))).isTrue();
        assertThat(again.isEmpty()).isTrue();
        assertThat(roundTrip(again).isEmpty()).isTrue();
    }
}
