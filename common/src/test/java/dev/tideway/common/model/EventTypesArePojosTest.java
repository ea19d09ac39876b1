package dev.tideway.common.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** State and network records must never fall back to Kryo: Kryo state cannot evolve. */
class EventTypesArePojosTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                CardTransaction.class,
                SensorReading.class,
                ClickEvent.class,
                Alert.class,
                DeadLetter.class
            })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
