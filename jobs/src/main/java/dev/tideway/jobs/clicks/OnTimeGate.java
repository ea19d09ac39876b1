package dev.tideway.jobs.clicks;

import dev.tideway.common.model.ClickEvent;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decides once, right after the keyBy, whether a click is late, so that sessions, funnel and
 * abandoned-cart rule all see the same clicks. The source already routes clicks that are behind
 * their own partition's watermark; after the keyBy the watermark is the minimum over all source
 * subtasks, and it can be ahead of a partition that was idle and wakes up with older clicks. Such
 * clicks go to the late output (counted by {@link LateClicks}). The three operators behind the gate
 * take its output one-to-one (forward, same keys: sessions and funnel chained, the two-input rules
 * engine over a forward channel) and see the watermark it saw when a click passed, so they never
 * find a passed click late. Stateless.
 */
public class OnTimeGate extends KeyedProcessFunction<String, ClickEvent, ClickEvent> {
    private final OutputTag<ClickEvent> lateOutput;

    public OnTimeGate(OutputTag<ClickEvent> lateOutput) {
        this.lateOutput = lateOutput;
    }

    @Override
    public void processElement(ClickEvent click, Context ctx, Collector<ClickEvent> out) {
        if (ctx.timestamp() <= ctx.timerService().currentWatermark()) {
            ctx.output(lateOutput, click);
            return;
        }
        out.collect(click);
    }
}
