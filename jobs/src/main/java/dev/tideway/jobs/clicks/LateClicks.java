package dev.tideway.jobs.clicks;

import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.DeadLetter;
import dev.tideway.jobs.support.LateEventToDeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Clicks found late after the keyBy (by {@link OnTimeGate}, or by a window or the abandoned-cart
 * rule behind it), as dead letters for the late topic, counted as {@code tidewayLateEvents} like
 * the ones the source catches. Behind the gate the windows and the rule find none; their late
 * outputs are wired anyway, so that a click a future change lets through is kept, not dropped.
 */
class LateClicks extends RichMapFunction<ClickEvent, DeadLetter> {
    private final LateEventToDeadLetter<ClickEvent> toDeadLetter =
            new LateEventToDeadLetter<>(new ClickEventCodec());
    private transient Counter lateEvents;

    @Override
    public void open(OpenContext openContext) {
        lateEvents = getRuntimeContext().getMetricGroup().counter("tidewayLateEvents");
    }

    @Override
    public DeadLetter map(ClickEvent click) {
        lateEvents.inc();
        return toDeadLetter.map(click);
    }
}
