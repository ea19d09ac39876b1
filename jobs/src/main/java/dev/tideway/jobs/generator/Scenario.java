package dev.tideway.jobs.generator;

import java.io.Serializable;

/**
 * A seeded run of generated events: the record at each index is a pure function of the settings and
 * the index, so a test can recompute what any run holds (injected anomalies included).
 */
public interface Scenario extends Serializable {

    /** The Kafka record (key and value bytes) at this index of the run. */
    GeneratedRecord record(long index);
}
