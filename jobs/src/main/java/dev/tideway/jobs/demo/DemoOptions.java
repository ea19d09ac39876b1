package dev.tideway.jobs.demo;

import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratorOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the demo, on top of the generator's and the fraud job's. */
public final class DemoOptions {

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("tideway.demo.duration")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "How long the demo runs before it stops itself (Ctrl-C stops it sooner).");

    public static final ConfigOption<Duration> PROGRESS_INTERVAL =
            ConfigOptions.key("tideway.demo.progress-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("How often progress is printed.");

    public static final ConfigOption<String> SAVEPOINT_DIR =
            ConfigOptions.key("tideway.demo.savepoint-dir")
                    .stringType()
                    .defaultValue(".run/savepoints")
                    .withDescription("Where the demo's final savepoint is written on stop.");

    public static List<ConfigOption<?>> all() {
        LinkedHashSet<ConfigOption<?>> all = new LinkedHashSet<>();
        all.add(DURATION);
        all.add(PROGRESS_INTERVAL);
        all.add(SAVEPOINT_DIR);
        all.addAll(FraudOptions.all());
        all.addAll(GeneratorOptions.all());
        return new ArrayList<>(all);
    }

    private DemoOptions() {}
}
