package dev.tideway.jobs.demo;

import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratorOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the demo, on top of those of the generator and the jobs it runs. */
public final class DemoOptions {

    /** Which jobs the demo runs. */
    public enum DemoJob {
        FRAUD,
        SENSORS,
        CLICKS,
        ARCHIVE,
        ALL
    }

    public static final ConfigOption<DemoJob> JOB =
            ConfigOptions.key("tideway.demo.job")
                    .enumType(DemoJob.class)
                    .defaultValue(DemoJob.FRAUD)
                    .withDescription(
                            "FRAUD, SENSORS, CLICKS, ARCHIVE (all three feeds into the Parquet"
                                    + " lake) or ALL; each with the generator of its feed.");

    public static final ConfigOption<String> LAKE =
            ConfigOptions.key("tideway.demo.lake")
                    .stringType()
                    .defaultValue(".run/lake")
                    .withDescription(
                            "Where the demo's files go (sensor aggregates, click sessions and"
                                    + " funnels, the archive), unless their own path options are"
                                    + " set.");

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
        all.add(JOB);
        all.add(LAKE);
        all.add(DURATION);
        all.add(PROGRESS_INTERVAL);
        all.add(SAVEPOINT_DIR);
        all.addAll(FraudOptions.all());
        all.addAll(dev.tideway.jobs.sensors.SensorOptions.all());
        all.addAll(dev.tideway.jobs.clicks.ClickOptions.all());
        all.addAll(dev.tideway.jobs.archive.ArchiveOptions.all());
        all.addAll(GeneratorOptions.all());
        return new ArrayList<>(all);
    }

    private DemoOptions() {}
}
