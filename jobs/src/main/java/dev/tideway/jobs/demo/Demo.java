package dev.tideway.jobs.demo;

import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.jobs.archive.LakeArchiveJob;
import dev.tideway.jobs.clicks.ClickstreamJob;
import dev.tideway.jobs.demo.DemoOptions.DemoJob;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratorJob;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.sensors.SensorMonitoringJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The README's first command: generators and Tideway jobs in one local Flink (web UI on
 * localhost:8081) against a local Kafka broker, with progress while it runs and a summary at the
 * end. {@code --tideway.demo.job} picks the jobs: the fraud job (default), sensors, clicks, the
 * lake archive, or all. Run through {@code scripts/demo}, which starts the broker.
 */
public final class Demo {

    /** What the demo's topics received while it ran: records per topic and alerts per rule. */
    public record Outcome(Map<String, Long> committed, Map<String, Long> alertsByRule) {}

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, DemoOptions.all());
        Outcome outcome = run(config, JobConfig.parseArgs(args));
        if (outcome == null) {
            System.out.println("No alerts were published: see .run/logs/demo.log");
            System.exit(1);
        }
    }

    /**
     * Runs the demo for its duration (or until Ctrl-C), then stops it with a savepoint.
     *
     * @param given the options set on the command line, which the demo's defaults do not touch
     * @return what was committed, or null when the chosen jobs published no alert at all
     */
    public static Outcome run(Configuration config, Map<String, String> given) throws Exception {
        DemoDefaults.apply(config, given);
        Set<DemoJob> jobs = DemoDefaults.jobs(config.get(DemoOptions.JOB));
        String bootstrap = config.get(KafkaOptions.BOOTSTRAP_SERVERS);

        Map<GeneratorOptions.Feed, String> feeds = DemoDefaults.feeds(jobs, config);
        List<String> outputs = DemoDefaults.outputTopics(jobs, config);
        Set<String> alertTopics = DemoDefaults.alertTopics(jobs, config);
        List<String> topics = new ArrayList<>(feeds.values());
        outputs.stream().filter(t -> !topics.contains(t)).forEach(topics::add);
        // The fraud job's control topics: created, not watched (they stay empty until someone
        // publishes a rule with scripts/rules).
        List<String> created = new ArrayList<>(topics);
        if (jobs.contains(DemoJob.FRAUD)) {
            created.add(config.get(FraudOptions.RULES_TOPIC));
            created.add(config.get(FraudOptions.RULE_STATUS_TOPIC));
        }
        createTopics(bootstrap, created, config.get(FraudOptions.DEAD_LETTER_TOPIC));

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(config);
        for (var feed : feeds.entrySet()) {
            Configuration feedConfig = new Configuration(config);
            feedConfig.set(GeneratorOptions.FEED, feed.getKey());
            feedConfig.set(GeneratorOptions.TOPIC, feed.getValue());
            GeneratorJob.fromConfig(feedConfig, env).build(env);
        }
        if (jobs.contains(DemoJob.FRAUD)) {
            FraudDetectionJob.fromConfig(config, env).build(env);
        }
        if (jobs.contains(DemoJob.SENSORS)) {
            SensorMonitoringJob.fromConfig(config, env).build(env);
        }
        if (jobs.contains(DemoJob.CLICKS)) {
            ClickstreamJob.fromConfig(config, env).build(env);
        }
        if (jobs.contains(DemoJob.ARCHIVE)) {
            LakeArchiveJob.fromConfig(config).build(env);
        }

        try (OutputWatcher watcher = new OutputWatcher(bootstrap, topics, alertTopics)) {
            Thread watching = new Thread(watcher, "tideway-demo-watcher");
            watching.setDaemon(true);
            watching.start();

            JobClient job = env.executeAsync("tideway-demo");
            System.out.printf(
                    "Tideway demo running: %s%n  generators -> %s%n  outputs: %s%n"
                            + "Flink web UI: http://localhost:%s   Stop: Ctrl-C, or wait %s%n%n",
                    jobs,
                    feeds.values(),
                    outputs,
                    config.getString("rest.port", "8081"),
                    config.get(DemoOptions.DURATION));

            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread onCtrlC =
                    new Thread(
                            () -> {
                                stop.countDown();
                                awaitQuietly(stopped);
                            });
            Runtime.getRuntime().addShutdownHook(onCtrlC);

            Instant start = Instant.now();
            Instant end = start.plus(config.get(DemoOptions.DURATION));
            long interval = config.get(DemoOptions.PROGRESS_INTERVAL).toMillis();
            long lastCount = 0;
            Instant last = start;
            while (Instant.now().isBefore(end) && !jobEnded(job)) {
                if (stop.await(
                        Math.min(interval, Duration.between(Instant.now(), end).toMillis() + 1),
                        TimeUnit.MILLISECONDS)) {
                    break;
                }
                Instant now = Instant.now();
                long count = feeds.values().stream().mapToLong(watcher::count).sum();
                double rate =
                        (count - lastCount)
                                / Math.max(0.001, Duration.between(last, now).toMillis() / 1000.0);
                System.out.printf(
                        "%5ds  events in %,10d  (%,.0f/s)   alerts %,6d %s   dead letters %,6d%n",
                        Duration.between(start, now).toSeconds(),
                        count,
                        rate,
                        watcher.alertCount(),
                        watcher.alertsByRule,
                        watcher.count(config.get(FraudOptions.DEAD_LETTER_TOPIC)));
                lastCount = count;
                last = now;
            }

            String savepoint = stopJob(job, config);
            // Give the watcher a moment to read what the final savepoint committed.
            Thread.sleep(1500);
            printSummary(config, jobs, watcher, savepoint, Duration.between(start, Instant.now()));
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us; nothing to remove.
            }
            Map<String, Long> committed = new java.util.LinkedHashMap<>();
            watcher.counts.forEach((topic, count) -> committed.put(topic, count.get()));
            Map<String, Long> byRule = new java.util.TreeMap<>();
            watcher.alertsByRule.forEach((rule, count) -> byRule.put(rule, count.get()));
            boolean silent = !alertTopics.isEmpty() && watcher.alertCount() == 0;
            return silent ? null : new Outcome(committed, byRule);
        }
    }

    private static boolean jobEnded(JobClient job) {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState();
        } catch (Exception e) {
            return true;
        }
    }

    /** Stop with a savepoint: commits the open transactions, so nothing written is left open. */
    private static String stopJob(JobClient job, Configuration config) {
        System.out.println("\nStopping with a savepoint (commits what is in flight) ...");
        String dir =
                Path.of(config.get(DemoOptions.SAVEPOINT_DIR)).toAbsolutePath().toUri().toString();
        try {
            return job.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("Savepoint failed (" + rootMessage(e) + "); cancelling instead.");
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Already gone.
            }
            return null;
        }
    }

    private static void printSummary(
            Configuration config,
            Set<DemoJob> jobs,
            OutputWatcher watcher,
            String savepoint,
            Duration ran) {
        System.out.printf(
                "%nSummary after %ds (records committed to each topic)%n", ran.toSeconds());
        watcher.counts.forEach(
                (topic, count) -> System.out.printf("  %-24s : %,d%n", topic, count.get()));
        System.out.printf("  alerts by rule           : %s%n", watcher.alertsByRule);
        synchronized (watcher.firstAlerts) {
            watcher.firstAlerts.forEach(
                    a ->
                            System.out.println(
                                    "  e.g. "
                                            + a.rule
                                            + " on "
                                            + a.key
                                            + ": "
                                            + a.detail
                                            + " "
                                            + a.evidence));
        }
        if (jobs.contains(DemoJob.SENSORS)
                || jobs.contains(DemoJob.CLICKS)
                || jobs.contains(DemoJob.ARCHIVE)) {
            System.out.printf(
                    "Files: %s (Parquet: the archive, sensor aggregates, click sessions and"
                            + " funnels)%n",
                    config.get(DemoOptions.LAKE));
        }
        String anAlertTopic =
                watcher.counts.keySet().stream()
                        .filter(t -> t.contains("alert"))
                        .findFirst()
                        .orElse(config.get(FraudOptions.ALERTS_TOPIC));
        System.out.printf(
                "Output: Kafka at %s (data in .run/kafka); read a topic with%n"
                        + "  scripts/kafka consume %s%n"
                        + "Savepoint: %s%nLogs: .run/logs/%n",
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                anAlertTopic,
                savepoint == null ? "(none)" : savepoint);
    }

    private static void createTopics(String bootstrap, List<String> topics, String deadLetters)
            throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "request.timeout.ms",
                                "10000",
                                "default.api.timeout.ms",
                                "15000"))) {
            try {
                admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "No Kafka broker answers at "
                                + bootstrap
                                + ": start one with scripts/kafka start, or set "
                                + KafkaOptions.BOOTSTRAP_SERVERS.key(),
                        e);
            }
            for (String name : topics) {
                NewTopic topic = new NewTopic(name, 4, (short) 1);
                if (name.equals(deadLetters) || name.contains("late")) {
                    // Dead letters carry whole rejected records: allow large messages.
                    topic.configs(
                            Map.of("max.message.bytes", String.valueOf(8 * 1024 * 1024 + 1024)));
                }
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            // A created topic reaches the broker's metadata a moment later; the jobs' preflight
            // lists topics and must see them all.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!admin.listTopics().names().get(15, TimeUnit.SECONDS).containsAll(topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " did not appear");
                }
                Thread.sleep(100);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Demo() {}
}
