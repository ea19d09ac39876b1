package dev.tideway.jobs.demo;

import dev.tideway.jobs.archive.ArchiveOptions;
import dev.tideway.jobs.clicks.ClickOptions;
import dev.tideway.jobs.demo.DemoOptions.DemoJob;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import dev.tideway.jobs.sensors.SensorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * What the demo changes so that a one-minute run shows results: short event-time windows and
 * timeouts, everything under {@code .run/}. Only for keys the user did not set on the command line.
 */
final class DemoDefaults {

    static void apply(Configuration config, Map<String, String> given) {
        // Commit (and so publish) every 2 s.
        setUnlessGiven(config, given, "execution.checkpointing.interval", "2s");
        String lake = Path.of(config.get(DemoOptions.LAKE)).toAbsolutePath().toUri().toString();
        setUnlessGiven(config, given, SensorOptions.OUTPUT_PATH, lake);
        setUnlessGiven(config, given, ClickOptions.OUTPUT_PATH, lake);
        setUnlessGiven(config, given, ArchiveOptions.LAKE_PATH, lake);
        // Every job's pipelines share one local TaskManager here: hundreds of channels, each with
        // its own buffers. config.yaml's 1 MB buffers (for throughput) would need far more than
        // its 256 MB of network memory for them; at the demo's rates Flink's 32 KB serve as well.
        setUnlessGiven(
                config, given, TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("32kb"));
        // Rules can be changed while the demo runs: scripts/rules publish FILE.
        setUnlessGiven(config, given, FraudOptions.RULES_TOPIC, "fraud-rules");
        setUnlessGiven(config, given, SensorOptions.WINDOW, Duration.ofSeconds(10));
        setUnlessGiven(config, given, SensorOptions.SILENCE_TIMEOUT, Duration.ofSeconds(15));
        setUnlessGiven(config, given, ClickOptions.SESSION_GAP, Duration.ofSeconds(10));
        setUnlessGiven(config, given, ClickOptions.FUNNEL_WINDOW, Duration.ofSeconds(10));
        setUnlessGiven(config, given, ClickOptions.ABANDON_TIMEOUT, Duration.ofSeconds(20));
        // The archive reads what the demo's generators write.
        setUnlessGiven(
                config,
                given,
                ArchiveOptions.TRANSACTIONS_TOPIC,
                config.get(FraudOptions.TRANSACTIONS_TOPIC));
        setUnlessGiven(
                config,
                given,
                ArchiveOptions.SENSOR_READINGS_TOPIC,
                config.get(SensorOptions.READINGS_TOPIC));
        setUnlessGiven(
                config, given, ArchiveOptions.CLICKS_TOPIC, config.get(ClickOptions.CLICKS_TOPIC));
        setUnlessGiven(
                config,
                given,
                ArchiveOptions.DEAD_LETTER_TOPIC,
                config.get(FraudOptions.DEAD_LETTER_TOPIC));
    }

    static Set<DemoJob> jobs(DemoJob chosen) {
        return chosen == DemoJob.ALL
                ? EnumSet.of(DemoJob.FRAUD, DemoJob.SENSORS, DemoJob.CLICKS, DemoJob.ARCHIVE)
                : EnumSet.of(chosen);
    }

    /** The generators to run, each with the topic it writes. */
    static Map<Feed, String> feeds(Set<DemoJob> jobs, Configuration config) {
        boolean archive = jobs.contains(DemoJob.ARCHIVE);
        Map<Feed, String> feeds = new LinkedHashMap<>();
        if (archive || jobs.contains(DemoJob.FRAUD)) {
            feeds.put(Feed.TRANSACTIONS, config.get(FraudOptions.TRANSACTIONS_TOPIC));
        }
        if (archive || jobs.contains(DemoJob.SENSORS)) {
            feeds.put(Feed.SENSORS, config.get(SensorOptions.READINGS_TOPIC));
        }
        if (archive || jobs.contains(DemoJob.CLICKS)) {
            feeds.put(Feed.CLICKS, config.get(ClickOptions.CLICKS_TOPIC));
        }
        return feeds;
    }

    /** The topics the chosen jobs write (dead letters included). */
    static List<String> outputTopics(Set<DemoJob> jobs, Configuration config) {
        Set<String> topics = new LinkedHashSet<>(alertTopics(jobs, config));
        if (jobs.contains(DemoJob.SENSORS)) {
            String aggregates = config.get(SensorOptions.AGGREGATES_TOPIC);
            if (aggregates != null && !aggregates.isBlank()) {
                topics.add(aggregates);
            }
            topics.add(config.get(SensorOptions.LATE_TOPIC));
            topics.add(config.get(SensorOptions.DEAD_LETTER_TOPIC));
        }
        if (jobs.contains(DemoJob.CLICKS)) {
            topics.add(config.get(ClickOptions.SESSIONS_TOPIC));
            topics.add(config.get(ClickOptions.FUNNELS_TOPIC));
            topics.add(config.get(ClickOptions.LATE_TOPIC));
            topics.add(config.get(ClickOptions.DEAD_LETTER_TOPIC));
        }
        // The fraud job and the archive write (or read) the shared dead-letter topic.
        topics.add(config.get(FraudOptions.DEAD_LETTER_TOPIC));
        return new ArrayList<>(topics);
    }

    static Set<String> alertTopics(Set<DemoJob> jobs, Configuration config) {
        Set<String> topics = new LinkedHashSet<>();
        if (jobs.contains(DemoJob.FRAUD)) {
            topics.add(config.get(FraudOptions.ALERTS_TOPIC));
        }
        if (jobs.contains(DemoJob.SENSORS)) {
            topics.add(config.get(SensorOptions.ALERTS_TOPIC));
        }
        if (jobs.contains(DemoJob.CLICKS)) {
            topics.add(config.get(ClickOptions.ALERTS_TOPIC));
        }
        return topics;
    }

    private static <T> void setUnlessGiven(
            Configuration config, Map<String, String> given, ConfigOption<T> option, T value) {
        if (!given.containsKey(option.key())) {
            config.set(option, value);
        }
    }

    private static void setUnlessGiven(
            Configuration config, Map<String, String> given, String key, String value) {
        if (!given.containsKey(key)) {
            config.setString(key, value);
        }
    }

    private DemoDefaults() {}
}
