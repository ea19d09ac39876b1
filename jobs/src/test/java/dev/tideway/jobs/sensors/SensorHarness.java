package dev.tideway.jobs.sensors;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.testing.EngineHarness;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * An operator harness around one sensor rule, keyed by sensor, exactly as the job runs it: the
 * threshold rule on the rules-engine operator the job builds, jump and silence as process
 * functions.
 */
public final class SensorHarness implements AutoCloseable {
    private final KeyedOneInputStreamOperatorTestHarness<String, SensorReading, Alert> process;
    private final EngineHarness<SensorReading> engine;

    private SensorHarness(
            KeyedOneInputStreamOperatorTestHarness<String, SensorReading, Alert> process,
            EngineHarness<SensorReading> engine) {
        this.process = process;
        this.engine = engine;
    }

    /** The threshold rule on the rules engine, built by {@link ThresholdRule#onEngine}. */
    public static SensorHarness threshold(SensorRules rules) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KeyedStream<SensorReading, String> sensors =
                env.fromData(
                                List.of(Readings.temperature("x", "x", 0, Readings.T0)),
                                Types.POJO(SensorReading.class))
                        .keyBy(r -> r.sensorId, Types.STRING);
        var updates = env.fromData(List.of("-"), Types.STRING);
        return new SensorHarness(
                null,
                EngineHarness.of(
                        ThresholdRule.onEngine(sensors, updates, rules),
                        (SensorReading r) -> r.sensorId,
                        SensorReadingFields.SCHEMA,
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
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(rule),
                        (SensorReading r) -> r.sensorId,
                        Types.STRING);
        harness.open();
        return new SensorHarness(harness, null);
    }

    public SensorHarness send(SensorReading... readings) throws Exception {
        for (SensorReading r : readings) {
            if (engine != null) {
                engine.send(r);
            } else {
                process.processElement(r, r.eventTime);
            }
        }
        return this;
    }

    public SensorHarness watermark(long time) throws Exception {
        if (engine != null) {
            engine.watermark(time);
        } else {
            process.processWatermark(time);
        }
        return this;
    }

    public List<Alert> alerts() {
        return engine != null ? engine.alerts() : process.extractOutputValues();
    }

    /** Ids of the readings that went to the late output. */
    public List<String> late() {
        if (engine != null) {
            return engine.late();
        }
        var late = process.getSideOutput(SensorMonitoringJob.LATE_READINGS);
        return late == null ? List.of() : late.stream().map(r -> r.getValue().eventId).toList();
    }

    public int stateEntries() throws Exception {
        return engine != null ? engine.stateEntries() : process.numKeyedStateEntries();
    }

    public int timers() {
        return engine != null ? engine.timers() : process.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.close();
        } else {
            process.close();
        }
    }
}
