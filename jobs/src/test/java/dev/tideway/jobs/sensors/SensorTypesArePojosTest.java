package dev.tideway.jobs.sensors;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.api.Test;

/** Every type the sensor job keeps in state or sends between operators is a Kryo-free POJO. */
class SensorTypesArePojosTest {

    @Test
    void outputAndStateTypesArePojos() {
        assertSerializedAsPojoWithoutKryo(SensorAggregate.class);
        assertSerializedAsPojoWithoutKryo(WindowAggregates.MetricStats.class);
        assertSerializedAsPojoWithoutKryo(JumpRule.Recent.class);
        assertSerializedAsPojoWithoutKryo(SilenceRule.Status.class);
    }
}
