package dev.tideway.connectors.kafka;

import dev.tideway.common.model.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/** What a source gives a job: valid events with event-time watermarks, and the rejects. */
public record DecodedStreams<T>(DataStream<T> events, DataStream<DeadLetter> deadLetters) {}
