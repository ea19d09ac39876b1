package dev.tideway.jobs.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DropDuplicatesTest {

    @Test
    void dropsRepeatsWithinTheWindowAndForgetsIdsAfterIt() throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DropDuplicates<String>(Duration.ofMinutes(10))),
                        (String id) -> id,
                        Types.STRING);
        harness.open();
        try {
            harness.setStateTtlProcessingTime(0);
            harness.processElement("tx-1", 1);
            harness.processElement("tx-2", 2);
            harness.processElement("tx-1", 3); // a producer retry
            assertThat(harness.extractOutputValues()).containsExactly("tx-1", "tx-2");
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

            harness.setStateTtlProcessingTime(Duration.ofMinutes(11).toMillis());
            harness.processElement("tx-1", 4); // long after: a new event, not a retry

            assertThat(harness.extractOutputValues()).containsExactly("tx-1", "tx-2", "tx-1");
        } finally {
            harness.close();
        }
    }
}
