package dev.tideway.jobs.clicks;

import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The purchase funnel per tumbling event-time window, counted in distinct users, in two keyed
 * stages so that no operator sees all users at once:
 *
 * <ol>
 *   <li>per user and window, the furthest step reached (one integer of state per open window);
 *   <li>per window, how many users got at least as far as each step (four counters).
 * </ol>
 *
 * Stage 1 results carry their window's last millisecond as timestamp, so stage 2 assigns them to
 * the same window; they reach it before the watermark that closes it. Both stages drop a window's
 * state when it fires.
 */
public final class Funnel {
    private static final int STEPS = ClickAction.values().length;

    private Funnel() {}

    public static SingleOutputStreamOperator<FurthestStep> furthestSteps(
            KeyedStream<ClickEvent, String> users, ClickRules rules) {
        return users.window(TumblingEventTimeWindows.of(rules.funnelWindow()))
                .sideOutputLateData(ClickstreamJob.LATE_CLICKS)
                .aggregate(
                        new MaxStep(),
                        new ToFurthestStep(),
                        Types.INT,
                        Types.INT,
                        Types.POJO(FurthestStep.class));
    }

    public static SingleOutputStreamOperator<FunnelCounts> count(
            DataStream<FurthestStep> steps, ClickRules rules) {
        return steps.keyBy(s -> s.windowStart, Types.LONG)
                .window(TumblingEventTimeWindows.of(rules.funnelWindow()))
                .aggregate(
                        new CountSteps(),
                        new ToFunnelCounts(),
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO,
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO,
                        Types.POJO(FunnelCounts.class));
    }

    /** The furthest funnel step of a user's clicks, as an ordinal; -1 before any click. */
    static final class MaxStep implements AggregateFunction<ClickEvent, Integer, Integer> {
        @Override
        public Integer createAccumulator() {
            return -1;
        }

        @Override
        public Integer add(ClickEvent click, Integer furthest) {
            return Math.max(furthest, click.action.ordinal());
        }

        @Override
        public Integer getResult(Integer furthest) {
            return furthest;
        }

        @Override
        public Integer merge(Integer a, Integer b) {
            return Math.max(a, b);
        }
    }

    static final class ToFurthestStep
            extends ProcessWindowFunction<Integer, FurthestStep, String, TimeWindow> {
        @Override
        public void process(
                String userId,
                Context context,
                Iterable<Integer> furthest,
                Collector<FurthestStep> out) {
            TimeWindow w = context.window();
            out.collect(new FurthestStep(w.getStart(), w.getEnd(), furthest.iterator().next()));
        }
    }

    /** counts[k]: users whose furthest step is at least step k. */
    static final class CountSteps implements AggregateFunction<FurthestStep, long[], long[]> {
        @Override
        public long[] createAccumulator() {
            return new long[STEPS];
        }

        @Override
        public long[] add(FurthestStep user, long[] counts) {
            for (int k = 0; k <= user.step; k++) {
                counts[k]++;
            }
            return counts;
        }

        @Override
        public long[] getResult(long[] counts) {
            return counts;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            for (int k = 0; k < STEPS; k++) {
                a[k] += b[k];
            }
            return a;
        }
    }

    static final class ToFunnelCounts
            extends ProcessWindowFunction<long[], FunnelCounts, Long, TimeWindow> {
        @Override
        public void process(
                Long windowStart,
                Context context,
                Iterable<long[]> counts,
                Collector<FunnelCounts> out) {
            TimeWindow w = context.window();
            out.collect(FunnelCounts.of(w.getStart(), w.getEnd(), counts.iterator().next()));
        }
    }
}
