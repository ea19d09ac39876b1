package dev.tideway.rules;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the rules engine, for every job that runs rules on it. */
public final class RuleEngineOptions {
    public static final ConfigOption<Integer> STATE_CACHE_KEYS =
            ConfigOptions.key("tideway.rules.state-cache-keys")
                    .intType()
                    .defaultValue(100_000)
                    .withDescription(
                            "How many keys' rule states each engine subtask keeps on its heap"
                                    + " between checkpoints, in front of the state backend (least"
                                    + " recently used keys leave first). A cached key's events"
                                    + " cost no state-backend read or write; checkpoints hold the"
                                    + " cached states (as raw keyed state) and the backend the"
                                    + " others, so a restore sees exactly what an uncached engine"
                                    + " would have had. About 300-400 bytes of heap"
                                    + " per key with the fraud rules (100,000 keys: about 40 MB)."
                                    + " 0 turns the cache off.");

    private RuleEngineOptions() {}

    public static List<ConfigOption<?>> all() {
        return List.of(STATE_CACHE_KEYS);
    }
}
