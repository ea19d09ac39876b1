package dev.tideway.jobs.support;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rule-update input of a rules engine whose rules are fixed until a restart: an empty, bounded
 * source that finishes at once. (An empty {@code fromData} fails in Flink 2.2's generator-based
 * implementation, so this uses a generator of zero records.)
 */
public final class NoRuleUpdates {
    private NoRuleUpdates() {}

    /**
     * @param uid the source's uid, kept stable per job for savepoints
     */
    public static DataStream<String> stream(StreamExecutionEnvironment env, String uid) {
        return env.fromSource(
                        new DataGeneratorSource<>(i -> "", 0, Types.STRING),
                        WatermarkStrategy.noWatermarks(),
                        "no rule updates")
                .uid(uid)
                // A generator of zero records still emits one (its number range is [0, -1]), and
                // the engine would report that empty text as a rejected rule update.
                .filter(update -> false)
                .uid(uid + "-drop-all")
                .name("no rule updates: drop all");
    }
}
