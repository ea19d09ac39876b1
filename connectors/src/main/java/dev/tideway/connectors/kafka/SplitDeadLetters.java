package dev.tideway.connectors.kafka;

import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.model.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Events to the main output; dead letters, and events already behind the watermark (late), to two
 * side outputs. Counts each as a metric. Checking lateness here, once, means a late event becomes
 * one dead letter with its origin, instead of being dropped silently by each window or rule.
 */
class SplitDeadLetters<T> extends ProcessFunction<DecodedRecord<T>, T> {
    static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", Types.POJO(DeadLetter.class));
    static final OutputTag<DeadLetter> LATE_EVENTS =
            new OutputTag<>("late-events", Types.POJO(DeadLetter.class));

    private final EventCodec<T> codec;
    private final Duration outOfOrderness;
    private transient Counter eventsIn;
    private transient Counter deadLetters;
    private transient Counter lateEvents;

    SplitDeadLetters(EventCodec<T> codec, Duration outOfOrderness) {
        this.codec = codec;
        this.outOfOrderness = outOfOrderness;
    }

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("tidewayEventsIn");
        deadLetters = metrics.counter("tidewayDeadLetters");
        lateEvents = metrics.counter("tidewayLateEvents");
    }

    @Override
    public void processElement(DecodedRecord<T> record, Context ctx, Collector<T> out) {
        if (record.event == null) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        long eventTime = codec.eventTimeOf(record.event);
        if (eventTime <= watermark) {
            lateEvents.inc();
            ctx.output(LATE_EVENTS, late(record, eventTime, watermark));
            return;
        }
        eventsIn.inc();
        out.collect(record.event);
    }

    private DeadLetter late(DecodedRecord<T> record, long eventTime, long watermark) {
        String reason =
                "late event: event time "
                        + Instant.ofEpochMilli(eventTime)
                        + " is behind the watermark "
                        + Instant.ofEpochMilli(watermark)
                        + "; events may be at most "
                        + outOfOrderness
                        + " out of order (tideway.event-time.max-out-of-orderness)";
        return new DeadLetter(
                record.sourceTopic,
                record.sourcePartition,
                record.sourceOffset,
                null,
                codec.encode(record.event),
                reason,
                System.currentTimeMillis());
    }
}
