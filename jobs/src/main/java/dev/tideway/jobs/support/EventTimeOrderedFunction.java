package dev.tideway.jobs.support;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Hands each key's events to {@link #processInOrder} sorted by event time, however out of order
 * they arrived: an event waits in keyed state until the watermark passes its timestamp. That makes
 * rules exact for out-of-order input within the watermark bound. Events that arrive behind the
 * watermark are late: they go to the late output tag given to the constructor, and a counter.
 *
 * <p>Cost: one event-time timer per distinct timestamp and key. The rules-engine work replaces this
 * with one timer per key for hot rules.
 */
public abstract class EventTimeOrderedFunction<K, IN, OUT>
        extends KeyedProcessFunction<K, IN, OUT> {

    private final TypeInformation<IN> inputType;
    private final OutputTag<IN> lateOutput;
    private transient MapState<Long, List<IN>> waiting;
    private transient Counter lateEvents;

    protected EventTimeOrderedFunction(TypeInformation<IN> inputType, OutputTag<IN> lateOutput) {
        this.inputType = inputType;
        this.lateOutput = lateOutput;
    }

    /** Called once per event, in event-time order per key. */
    protected abstract void processInOrder(
            IN event, long eventTime, Context ctx, Collector<OUT> out) throws Exception;

    /** Called for timers a subclass registered itself, after the waiting events were handled. */
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out)
            throws Exception {}

    @Override
    public void open(OpenContext openContext) throws Exception {
        waiting =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting-for-watermark",
                                        Types.LONG,
                                        Types.LIST(inputType)));
        lateEvents = getRuntimeContext().getMetricGroup().counter("tidewayLateEvents");
    }

    @Override
    public void processElement(IN event, Context ctx, Collector<OUT> out) throws Exception {
        long timestamp = ctx.timestamp();
        if (timestamp <= ctx.timerService().currentWatermark()) {
            lateEvents.inc();
            ctx.output(lateOutput, event);
            return;
        }
        List<IN> sameTime = waiting.get(timestamp);
        if (sameTime == null) {
            sameTime = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(timestamp);
        }
        sameTime.add(event);
        waiting.put(timestamp, sameTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        List<IN> ready = waiting.get(timestamp);
        if (ready != null) {
            waiting.remove(timestamp);
            for (IN event : ready) {
                processInOrder(event, timestamp, ctx, out);
            }
        }
        onOwnTimer(timestamp, ctx, out);
    }
}
