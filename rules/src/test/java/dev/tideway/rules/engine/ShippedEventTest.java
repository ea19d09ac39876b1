package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.rules.TestEvent;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ShippedEventTest {
    private static final ShipEvents<TestEvent> SHIP =
            new ShipEvents<>(TestEvent.SCHEMA, e -> e.key);

    private static TestEvent event(String key) {
        TestEvent e = new TestEvent("id-" + key, key, "kind ünïcödé ✓", -0.0, true, 1_234_567L);
        e.latitude = -33.8688;
        e.longitude = 151.2093;
        return e;
    }

    @Test
    void anEventCrossesTheExchangeAndComesBackAsItWas() throws Exception {
        for (String key : new String[] {"k", "", "clé-日本"}) {
            TestEvent original = event(key);
            DataOutputSerializer out = new DataOutputSerializer(64);
            ShippedEvent.Serializer.INSTANCE.serialize(SHIP.map(original), out);
            ShippedEvent read =
                    ShippedEvent.Serializer.INSTANCE.deserialize(
                            new DataInputDeserializer(out.getCopyOfBuffer()));

            assertThat(read.key()).isEqualTo(key);
            assertThat(read.rebuild(TestEvent.SCHEMA))
                    .usingRecursiveComparison()
                    .isEqualTo(original);
        }
    }

    @Test
    void copyingTheSerializedFormGivesTheSameBytes() throws Exception {
        DataOutputSerializer first = new DataOutputSerializer(64);
        ShippedEvent.Serializer.INSTANCE.serialize(SHIP.map(event("k1")), first);
        ShippedEvent.Serializer.INSTANCE.serialize(SHIP.map(event("k2")), first);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        DataInputDeserializer in = new DataInputDeserializer(first.getCopyOfBuffer());
        ShippedEvent.Serializer.INSTANCE.copy(in, copied);
        ShippedEvent.Serializer.INSTANCE.copy(in, copied);

        assertThat(copied.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }
}
