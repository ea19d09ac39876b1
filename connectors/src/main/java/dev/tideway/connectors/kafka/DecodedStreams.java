package dev.tideway.connectors.kafka;

import dev.tideway.common.model.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What a source gives a job: valid events with event-time watermarks, the rejects, and the events
 * that arrived behind their partition's watermark (late, as dead-letter records with their origin
 * and reason). Jobs decide where late events go: the fraud job adds them to its dead letters, the
 * windowed jobs write them to a late topic of their own.
 */
public record DecodedStreams<T>(
        DataStream<T> events, DataStream<DeadLetter> deadLetters, DataStream<DeadLetter> late) {

    /** The same rejects around other events: how tests put a failing map behind a real source. */
    public DecodedStreams<T> withEvents(DataStream<T> replacement) {
        return new DecodedStreams<>(replacement, deadLetters, late);
    }

    /** Dead letters and late events together, for jobs that keep one reject topic. */
    public DataStream<DeadLetter> deadAndLate() {
        return deadLetters.union(late);
    }
}
