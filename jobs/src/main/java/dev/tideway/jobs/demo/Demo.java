package dev.tideway.jobs.demo;

import dev.tideway.connectors.config.JobConfig;
import dev.tideway.connectors.kafka.KafkaOptions;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.generator.GeneratorOptions;
import dev.tideway.jobs.generator.TransactionGeneratorJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * The README's first command: the generator and the fraud-detection job in one local Flink (web UI
 * on localhost:8081) against a local Kafka broker, with progress while it runs and a summary at the
 * end. Run through {@code scripts/demo}, which starts the broker.
 */
public final class Demo {

    public static void main(String[] args) throws Exception {
        Configuration config = JobConfig.load(args, DemoOptions.all());
        // The demo shows results within seconds: commit (and so publish) every 2 s.
        if (!JobConfig.parseArgs(args).containsKey("execution.checkpointing.interval")) {
            config.setString("execution.checkpointing.interval", "2s");
        }
        String bootstrap = config.get(KafkaOptions.BOOTSTRAP_SERVERS);
        String transactions = config.get(FraudOptions.TRANSACTIONS_TOPIC);
        String alerts = config.get(FraudOptions.ALERTS_TOPIC);
        String deadLetters = config.get(FraudOptions.DEAD_LETTER_TOPIC);
        config.set(GeneratorOptions.TOPIC, transactions);

        createTopics(bootstrap, transactions, alerts, deadLetters);

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(config);
        TransactionGeneratorJob.fromConfig(config, env).build(env);
        FraudDetectionJob.fromConfig(config, env).build(env);

        try (OutputWatcher watcher =
                new OutputWatcher(bootstrap, transactions, alerts, deadLetters)) {
            Thread watching = new Thread(watcher, "tideway-demo-watcher");
            watching.setDaemon(true);
            watching.start();

            JobClient job = env.executeAsync("tideway-demo");
            System.out.printf(
                    "Tideway demo running: generator -> %s -> fraud detection -> %s (dead letters: %s)%n"
                            + "Flink web UI: http://localhost:%s   Stop: Ctrl-C, or wait %s%n%n",
                    transactions,
                    alerts,
                    deadLetters,
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
                long count = watcher.transactionCount.get();
                double rate =
                        (count - lastCount)
                                / Math.max(0.001, Duration.between(last, now).toMillis() / 1000.0);
                System.out.printf(
                        "%5ds  transactions %,10d  (%,.0f/s)   alerts %,6d %s   dead letters %,6d%n",
                        Duration.between(start, now).toSeconds(),
                        count,
                        rate,
                        watcher.alertCount.get(),
                        watcher.alertsByRule,
                        watcher.deadLetterCount.get());
                lastCount = count;
                last = now;
            }

            String savepoint = stopJob(job, config);
            // Give the watcher a moment to read what the final savepoint committed.
            Thread.sleep(1500);
            printSummary(config, watcher, savepoint, Duration.between(start, Instant.now()));
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us; nothing to remove.
            }
            if (watcher.alertCount.get() == 0) {
                System.out.println("No alerts were published: see .run/logs/demo.log");
                System.exit(1);
            }
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
            Configuration config, OutputWatcher watcher, String savepoint, Duration ran) {
        String bootstrap = config.get(KafkaOptions.BOOTSTRAP_SERVERS);
        System.out.printf(
                "%nSummary after %ds%n"
                        + "  transactions generated : %,d (topic %s)%n"
                        + "  alerts                 : %,d %s (topic %s)%n"
                        + "  dead letters           : %,d (topic %s)%n",
                ran.toSeconds(),
                watcher.transactionCount.get(),
                config.get(FraudOptions.TRANSACTIONS_TOPIC),
                watcher.alertCount.get(),
                watcher.alertsByRule,
                config.get(FraudOptions.ALERTS_TOPIC),
                watcher.deadLetterCount.get(),
                config.get(FraudOptions.DEAD_LETTER_TOPIC));
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
        System.out.printf(
                "Output: Kafka at %s (data in .run/kafka); read the alerts with%n"
                        + "  scripts/kafka consume %s%n"
                        + "Savepoint: %s%nLogs: .run/logs/%n",
                bootstrap,
                config.get(FraudOptions.ALERTS_TOPIC),
                savepoint == null ? "(none)" : savepoint);
    }

    private static void createTopics(
            String bootstrap, String transactions, String alerts, String deadLetters)
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
            // Dead letters carry whole rejected records: allow large messages on that topic.
            List<NewTopic> topics =
                    List.of(
                            new NewTopic(transactions, 4, (short) 1),
                            new NewTopic(alerts, 2, (short) 1),
                            new NewTopic(deadLetters, 2, (short) 1)
                                    .configs(
                                            Map.of(
                                                    "max.message.bytes",
                                                    String.valueOf(8 * 1024 * 1024 + 1024))));
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
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
