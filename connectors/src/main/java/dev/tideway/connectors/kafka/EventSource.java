package dev.tideway.connectors.kafka;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A source of decoded events with watermarks, plus the dead letters of its bad input. */
@FunctionalInterface
public interface EventSource<T> {
    DecodedStreams<T> open(StreamExecutionEnvironment env);
}
