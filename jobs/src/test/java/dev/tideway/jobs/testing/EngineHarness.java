package dev.tideway.jobs.testing;

import dev.tideway.common.model.Alert;
import dev.tideway.rules.engine.RuleEngineOperator;
import dev.tideway.rules.expression.EventSchema;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.apache.flink.util.OutputTag;

/**
 * An operator harness around the rules-engine operator a job built (events on input 1, rule updates
 * on input 2), not a copy of its configuration: the operator is taken from the built stream's
 * transformation, with the job's schema, seed rules and late output.
 */
public final class EngineHarness<E> implements AutoCloseable {
    public final KeyedTwoInputStreamOperatorTestHarness<String, E, String, Alert> harness;
    private final EventSchema<E> schema;
    private final OutputTag<E> late;
    private long snapshots;

    private EngineHarness(
            TwoInputStreamOperator<E, String, Alert> operator,
            KeySelector<E, String> key,
            EventSchema<E> schema,
            OutputTag<E> late)
            throws Exception {
        this.harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        operator, key, update -> "", Types.STRING);
        this.schema = schema;
        this.late = late;
        harness.open();
    }

    /**
     * @param built what the job's rule method returned (RuleEngine.detect underneath)
     */
    @SuppressWarnings("unchecked")
    public static <E> EngineHarness<E> of(
            SingleOutputStreamOperator<Alert> built,
            KeySelector<E, String> key,
            EventSchema<E> schema,
            OutputTag<E> late)
            throws Exception {
        TwoInputTransformation<E, String, Alert> transformation =
                (TwoInputTransformation<E, String, Alert>) built.getTransformation();
        TwoInputStreamOperator<E, String, Alert> operator =
                (TwoInputStreamOperator<E, String, Alert>)
                        ((SimpleOperatorFactory<Alert>) transformation.getOperatorFactory())
                                .getOperator();
        // A serialized copy, as the cluster gets it; the built graph keeps its own.
        return new EngineHarness<>(
                InstantiationUtil.clone(operator, EngineHarness.class.getClassLoader()),
                key,
                schema,
                late);
    }

    /** Sends events, each at its own event time. */
    @SafeVarargs
    public final EngineHarness<E> send(E... events) throws Exception {
        for (E e : events) {
            harness.processElement1(new StreamRecord<>(e, schema.eventTime(e)));
        }
        return this;
    }

    public EngineHarness<E> watermark(long time) throws Exception {
        harness.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(time));
        return this;
    }

    public List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    /** Ids of the events that went to the job's late output. */
    public List<String> late() {
        var records = harness.getSideOutput(late);
        return records == null
                ? List.of()
                : records.stream().map(r -> schema.eventId(r.getValue())).toList();
    }

    /**
     * Keys holding state, cached in the engine or in the keyed state backend, after a snapshot:
     * what a checkpoint holds.
     */
    public int stateEntries() throws Exception {
        harness.snapshot(++snapshots, snapshots);
        return ((RuleEngineOperator<?, ?>) harness.getOperator()).stateEntries();
    }

    public int timers() {
        return harness.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
