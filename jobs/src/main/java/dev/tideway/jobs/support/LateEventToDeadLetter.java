package dev.tideway.jobs.support;

import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.model.DeadLetter;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A late event as a dead letter, so it is kept, not dropped. The source already routes events that
 * are late on arrival; this catches the rare ones a rule still sees behind its watermark.
 */
public class LateEventToDeadLetter<T> implements MapFunction<T, DeadLetter> {
    private final EventCodec<T> codec;

    public LateEventToDeadLetter(EventCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public DeadLetter map(T event) {
        return new DeadLetter(
                "(late at a rule)",
                -1,
                -1,
                null,
                codec.encode(event),
                "late event at a rule: event time "
                        + Instant.ofEpochMilli(codec.eventTimeOf(event))
                        + " is behind the rule's watermark",
                System.currentTimeMillis());
    }
}
