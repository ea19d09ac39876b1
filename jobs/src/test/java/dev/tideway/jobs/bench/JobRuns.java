package dev.tideway.jobs.bench;

import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.jobs.bench.BenchJobs.BenchJob;
import dev.tideway.jobs.bench.JobProcess.JobResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * Starts the jobs of a bench run, each in its own JVM, with the production configuration
 * (flink-conf/config.yaml: exactly-once, RocksDB, incremental checkpoints) and fresh output topics,
 * consumer group, transactional ids and folders.
 */
final class JobRuns {
    static final Path FLINK_CONF = Path.of("..", "flink-conf");

    private final BenchSettings settings;
    private final BenchKafka kafka;
    private final Path work;
    private final AtomicInteger runs = new AtomicInteger();

    JobRuns(BenchSettings settings, BenchKafka kafka) {
        this.settings = settings;
        this.kafka = kafka;
        // Under target/, not /tmp: removed by mvn clean, and each run's folder after the run.
        this.work = Path.of("target", "bw").toAbsolutePath();
    }

    BenchKafka kafka() {
        return kafka;
    }

    BenchSettings settings() {
        return settings;
    }

    /** A job run, configured and ready to start. */
    final class Run {
        final String name;
        final BenchJob job;
        final Configuration config;
        final Path dir;

        private Run(String name, BenchJob job, Configuration config, Path dir) {
            this.name = name;
            this.job = job;
            this.config = config;
            this.dir = dir;
        }

        JobProcess start() throws IOException {
            return JobProcess.start(
                    name, config, dir, settings.out().resolve("logs").resolve(name + ".log"));
        }

        String group() {
            return name;
        }

        /** Removes the run's checkpoints, RocksDB files and lake. */
        void cleanUp() {
            delete(dir);
        }
    }

    /**
     * @param label part of the run's name (topics, group, log file)
     * @param profile a profile of flink-conf/profiles/ applied over config.yaml, or null
     */
    Run prepare(BenchJob job, String label, String input, int parallelism, String profile) {
        int number = runs.incrementAndGet();
        String name = String.format("%02d-%s", number, label);
        // A short folder: RocksDB warns about (and stops relocating logs of) long paths.
        Path dir = work.resolve(String.format("r%02d", number));
        Configuration config = GlobalConfiguration.loadConfiguration(FLINK_CONF.toString());
        if (profile != null) {
            config.addAll(JobConfig.loadProfile(FLINK_CONF, profile));
        } else if (settings.checkpointInterval() != null) {
            config.setString("execution.checkpointing.interval", settings.checkpointInterval());
        }
        config.setString(
                "execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        // RocksDB's working files and other spill go to the run's folder, not /tmp.
        config.setString("io.tmp.dirs", dir.resolve("t").toString());
        config.setString("parallelism.default", String.valueOf(parallelism));
        // A MiniCluster per run: no web UI port to collide on.
        config.removeKey("rest.port");
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrap());
        config.set(KafkaOptions.STARTING_OFFSETS, KafkaOptions.StartingOffsets.EARLIEST);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, name);
        config.set(JobProcess.JOB, job.name());
        var outputs = BenchJobs.configure(job, config, input, name, dir);
        // Counts what the input source reads (the run's sustained rate) and samples each task's
        // busy / backpressured / idle time (JobProcess).
        String reporter = "metrics.reporter." + JobMetricsReporter.NAME + ".";
        config.setString(reporter + "factory.class", JobMetricsReporter.Factory.class.getName());
        config.setString(reporter + JobMetricsReporter.OPERATOR, "Source: kafka: " + input);
        kafka.createTopics(2, outputs);
        return new Run(name, job, config, dir);
    }

    /**
     * Runs the job over the whole topic (bounded at the end offsets it finds) and reports its
     * progress (offsets committed at checkpoints) while it runs.
     */
    static final Duration RUN_LIMIT = Duration.ofMinutes(45);

    JobResult bounded(Run run, long events, Path jfr) throws Exception {
        run.config.set(KafkaOptions.BOUNDED, true);
        if (jfr != null) {
            run.config.set(JobProcess.JFR_FILE, jfr.toAbsolutePath().toString());
        }
        Progress.say("  %s: %,d records ...", run.name, events);
        try (JobProcess process = run.start()) {
            Progress progress = Progress.every(Duration.ofSeconds(settings.quick() ? 5 : 30));
            // A job that cannot finish (say, restarting because its checkpoints expire) is
            // stopped and reported as failed, not waited for all night.
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            while (process.report("result") == null && System.nanoTime() < deadline) {
                if (progress.due()) {
                    Progress.say(
                            "  %s: %,d of %,d records (committed at checkpoints)",
                            run.name, kafka.committed(run.group()), events);
                }
                if (process.report("error") != null || !process.alive()) {
                    break;
                }
                Thread.sleep(100);
            }
            JobResult result = process.result(Duration.ofMinutes(1));
            Progress.say(
                    "  %s: %.1f s, %,.0f records/s (sustained %,d), peak RSS %s",
                    run.name,
                    result.netRuntimeMillis() / 1000.0,
                    events * 1000.0 / result.netRuntimeMillis(),
                    result.sustainedPerSecond(),
                    Report.bytes(result.peakRssBytes()));
            String taskTime = process.report("task-time");
            if (taskTime != null) {
                Progress.say("  %s: %s", run.name, taskTime);
            }
            String backlog = process.report("engine-backlog");
            if (backlog != null) {
                Progress.say("  %s: %s", run.name, backlog);
            }
            return result;
        } finally {
            run.cleanUp();
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Progress.say("  could not remove %s: %s", dir, e);
        }
    }
}
