package dev.tideway.jobs.bench;

import dev.tideway.connectors.kafka.KafkaOptions.Delivery;

/** How the job under a latency run delivers its results, and with which tuning profile. */
public enum LatencyMode {
    /** Production: exactly-once, config.yaml's 10 s checkpoints (the commit interval). */
    EXACTLY_ONCE("exactly-once, config.yaml", Delivery.EXACTLY_ONCE, null),
    /** Exactly-once with flink-conf/profiles/low-latency.yaml (1 s checkpoints, 5 ms buffers). */
    EXACTLY_ONCE_LOW_LATENCY(
            "exactly-once, low-latency profile", Delivery.EXACTLY_ONCE, "low-latency"),
    /** At-least-once with the low-latency profile: results are visible once the producer sends. */
    AT_LEAST_ONCE_LOW_LATENCY(
            "at-least-once, low-latency profile", Delivery.AT_LEAST_ONCE, "low-latency");

    public final String label;
    public final Delivery delivery;

    /** A profile of flink-conf/profiles/, or null for config.yaml alone. */
    public final String profile;

    LatencyMode(String label, Delivery delivery, String profile) {
        this.label = label;
        this.delivery = delivery;
        this.profile = profile;
    }
}
