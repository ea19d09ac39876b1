package dev.tideway.jobs.generator;

/** A Kafka record as the generator writes it: raw bytes, so that it can also be malformed. */
public class GeneratedRecord {
    /** Null for records injected without a key. */
    public byte[] key;

    public byte[] value;

    public GeneratedRecord() {}

    public GeneratedRecord(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
    }
}
