package dev.tideway.jobs.sensors;

import static dev.tideway.jobs.sensors.Readings.at;
import static dev.tideway.jobs.sensors.Readings.min;
import static dev.tideway.jobs.sensors.Readings.sec;
import static dev.tideway.jobs.sensors.Readings.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * With {@code tideway.sensors.engine: CEP} the job keeps the uid of the previous release's
 * flink-cep operator ({@code sensors-threshold}), and the pattern compiled from the rule has the
 * hand-written one's shape and step name: the old operator's state, restored, completes its runs.
 */
class ThresholdCepStateTest {
    private static final SensorRules RULES = SensorRules.defaults();

    @Test
    void theCepOptionResumesTheOpenRunsOfThePreviousReleasesOperator() throws Exception {
        OperatorSubtaskState snapshot;
        try (var old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new CepOperator<>(
                                Types.POJO(SensorReading.class)
                                        .createSerializer(new SerializerConfigImpl()),
                                false,
                                NFACompiler.compileFactory(
                                        ThresholdEquivalenceTest.Legacy.pattern(RULES), false),
                                null,
                                AfterMatchSkipStrategy.skipPastLastEvent(),
                                new ThresholdEquivalenceTest.Legacy.ToAlert(),
                                SensorMonitoringJob.LATE_READINGS),
                        (SensorReading r) -> r.sensorId,
                        Types.STRING)) {
            old.open();
            old.processElement(temperature("a1", "s1", 90, at(sec(0))), at(sec(0)));
            old.processElement(temperature("a2", "s1", 90, at(sec(1))), at(sec(1)));
            old.processElement(temperature("b1", "s2", 90, at(sec(0))), at(sec(0)));
            old.processWatermark(at(sec(2)));
            // Waiting for the watermark when the savepoint is taken.
            old.processElement(temperature("a3", "s1", 90, at(sec(3))), at(sec(3)));
            snapshot = old.snapshot(1, 1);
        }

        var sensors =
                StreamExecutionEnvironment.getExecutionEnvironment()
                        .fromData(
                                java.util.List.of(temperature("x", "x", 0, Readings.T0)),
                                Types.POJO(SensorReading.class))
                        .keyBy(r -> r.sensorId, Types.STRING);
        @SuppressWarnings("unchecked")
        StreamOperatorFactory<Alert> factory =
                ((OneInputTransformation<SensorReading, Alert>)
                                ThresholdRule.onCep(sensors, RULES).getTransformation())
                        .getOperatorFactory();
        try (var now =
                new KeyedOneInputStreamOperatorTestHarness<String, SensorReading, Alert>(
                        factory, r -> r.sensorId, Types.STRING)) {
            now.initializeState(snapshot);
            now.open();
            now.processElement(temperature("b2", "s2", 20, at(sec(4))), at(sec(4)));
            now.processElement(temperature("b3", "s2", 90, at(sec(5))), at(sec(5)));
            now.processWatermark(at(min(5)));

            assertThat(now.extractOutputValues())
                    .extracting(a -> a.key + " " + a.evidence + " " + a.eventTime)
                    .containsExactly("s1 [a1, a2, a3] " + at(sec(3)));
            assertThat(now.numKeyedStateEntries()).isZero();
        }
    }
}
