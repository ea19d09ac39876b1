package dev.tideway.jobs.sensors;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** An operator harness around one sensor rule, keyed by sensor, exactly as the job runs it. */
public final class SensorHarness implements AutoCloseable {
    public final KeyedOneInputStreamOperatorTestHarness<String, SensorReading, Alert> harness;

    private SensorHarness(OneInputStreamOperator<SensorReading, Alert> operator) throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, r -> r.sensorId, Types.STRING);
        harness.open();
    }

    /** The threshold rule's CepOperator, as CEP.pattern(...).inEventTime() builds it. */
    public static SensorHarness threshold(SensorRules rules) throws Exception {
        return new SensorHarness(
                new CepOperator<>(
                        Types.POJO(SensorReading.class)
                                .createSerializer(new SerializerConfigImpl()),
                        false,
                        NFACompiler.compileFactory(ThresholdRule.pattern(rules), false),
                        null,
                        AfterMatchSkipStrategy.skipPastLastEvent(),
                        new ThresholdRule.ToAlert(rules),
                        SensorMonitoringJob.LATE_READINGS));
    }

    public static SensorHarness jump(SensorRules rules) throws Exception {
        return process(new JumpRule(rules));
    }

    public static SensorHarness silence(SensorRules rules) throws Exception {
        return process(new SilenceRule(rules));
    }

    private static SensorHarness process(KeyedProcessFunction<String, SensorReading, Alert> rule)
            throws Exception {
        return new SensorHarness(new KeyedProcessOperator<>(rule));
    }

    public SensorHarness send(SensorReading... readings) throws Exception {
        for (SensorReading r : readings) {
            harness.processElement(r, r.eventTime);
        }
        return this;
    }

    public SensorHarness watermark(long time) throws Exception {
        harness.processWatermark(time);
        return this;
    }

    public List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    public int stateEntries() {
        return harness.numKeyedStateEntries();
    }

    public int timers() {
        return harness.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
