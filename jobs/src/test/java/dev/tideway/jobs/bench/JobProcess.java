package dev.tideway.jobs.bench;

import dev.tideway.jobs.testing.FailOnceAfterCheckpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One job run in a JVM of its own, as a TaskManager would run it: a fresh JIT and heap for every
 * measurement, and a process whose memory (peak RSS, heap) is the job's alone, not the broker's or
 * the harness's. The parent ({@link #start}) passes the Flink configuration in a file and reads
 * protocol lines from the child's output; the child ({@link #main}) runs the job in a MiniCluster.
 * Closing the child's stdin cancels an unbounded job.
 */
final class JobProcess implements AutoCloseable {

    static final ConfigOption<String> JOB =
            ConfigOptions.key("tideway.bench.job")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Name of the bench job to run (BenchJobs).");

    static final ConfigOption<Long> FAIL_AFTER =
            ConfigOptions.key("tideway.bench.fail-after")
                    .longType()
                    .defaultValue(0L)
                    .withDescription("Fail once after this many records per subtask; 0 never.");

    static final ConfigOption<String> JFR_FILE =
            ConfigOptions.key("tideway.bench.jfr-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Record the job with JFR (profile settings) into this file.");

    /** Heap of the job's JVM; RocksDB lives outside it, in native memory. */
    static final String HEAP = "-Xmx1g";

    private static final String PROTOCOL = "tideway-bench ";

    /** What the child reported: the protocol line's word, and the rest of the line. */
    private final Map<String, String> reports = new ConcurrentHashMap<>();

    private final Process process;
    private final String name;

    private JobProcess(Process process, String name, Path log) {
        this.process = process;
        this.name = name;
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8));
                                    PrintWriter out =
                                            new PrintWriter(Files.newBufferedWriter(log), true)) {
                                for (String line; (line = in.readLine()) != null; ) {
                                    out.println(line);
                                    if (line.startsWith(PROTOCOL)) {
                                        String[] parts =
                                                line.substring(PROTOCOL.length()).split(" ", 2);
                                        reports.putIfAbsent(
                                                parts[0], parts.length > 1 ? parts[1] : "");
                                    }
                                }
                            } catch (IOException e) {
                                reports.putIfAbsent("error", "log: " + e);
                            }
                        },
                        "bench-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the job in a child JVM; its output goes to {@code log}. */
    static JobProcess start(String name, Configuration config, Path work, Path log)
            throws IOException {
        Files.createDirectories(work);
        Files.createDirectories(log.getParent());
        Path file = work.resolve("job.properties");
        Properties properties = new Properties();
        properties.putAll(config.toMap());
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "bench run " + name);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The --add-opens Flink needs, as the harness itself was started with them.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
                command.add(arg);
            }
        }
        command.add(HEAP);
        // The JVM options a TaskManager of a real cluster gets from the same configuration (for
        // example its garbage collector): the job runs in this JVM as it would in a TaskManager.
        for (String options :
                List.of(
                        config.get(CoreOptions.FLINK_JVM_OPTIONS),
                        config.get(CoreOptions.FLINK_TM_JVM_OPTIONS))) {
            for (String option : options.trim().split("\\s+")) {
                if (!option.isEmpty()) {
                    command.add(option);
                }
            }
        }
        command.add("-Djava.io.tmpdir=" + work.resolve("t"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JobProcess.class.getName());
        command.add(file.toString());
        Files.createDirectories(work.resolve("t"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new JobProcess(process, name, log);
    }

    /** Waits for a report of the child, such as "running" or "result"; fails after the timeout. */
    String await(String report, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String value = reports.get(report);
            if (value != null) {
                return value;
            }
            String error = reports.get("error");
            if (error != null || !process.isAlive() && !reports.containsKey(report)) {
                // One more look: the line may have been read just before the process ended.
                Thread.sleep(200);
                if (reports.containsKey(report)) {
                    return reports.get(report);
                }
                throw new IllegalStateException(
                        name + " failed before '" + report + "': " + error + " (see its log)");
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(
                name + ": no '" + report + "' within " + timeout + " (see its log)");
    }

    boolean alive() {
        return process.isAlive();
    }

    /** A report if the child sent it, else null. */
    String report(String name) {
        return reports.get(name);
    }

    /** Cancels an unbounded job: the child notices its stdin closing. */
    void stop() throws IOException {
        process.getOutputStream().close();
    }

    /** The job's figures, once it ended (bounded) or was stopped. */
    JobResult result(Duration timeout) throws InterruptedException {
        return JobResult.parse(await("result", timeout));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * What the child measured about itself.
     *
     * @param netRuntimeMillis the job's net runtime (bounded runs), from submission to the end
     * @param peakRssBytes the process's peak resident set (VmHWM): heap, RocksDB, everything
     * @param peakHeapBytes the most heap in use seen by a 100 ms sampler
     * @param sustainedPerSecond records per second while the source read the middle 80 % of its
     *     input (from 10 % to 90 % of what it read in all), without the job's start and end; 0 if
     *     the run was too short to tell
     * @param recordsRead what the source read in all, as its metric counted (the measure of the
     *     sustained rate)
     */
    record JobResult(
            long netRuntimeMillis,
            long peakRssBytes,
            long peakHeapBytes,
            long sustainedPerSecond,
            long recordsRead) {
        static JobResult parse(String line) {
            Map<String, Long> values = new java.util.HashMap<>();
            for (String pair : line.split(" ")) {
                String[] kv = pair.split("=");
                values.put(kv[0], Long.parseLong(kv[1]));
            }
            return new JobResult(
                    values.get("net-runtime-ms"),
                    values.get("peak-rss-bytes"),
                    values.get("peak-heap-bytes"),
                    values.getOrDefault("sustained-records-per-s", 0L),
                    values.getOrDefault("records-read", 0L));
        }
    }

    // ------------------------------------------------------------------------------------------
    // The child
    // ------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[0]))) {
            properties.load(in);
        }
        Map<String, String> map = new java.util.HashMap<>();
        properties.forEach((k, v) -> map.put((String) k, (String) v));
        Configuration config = Configuration.fromMap(map);
        BenchJobs.BenchJob job = BenchJobs.named(config.get(JOB));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        BenchJobs.build(job, config, env, config.get(FAIL_AFTER));

        jdk.jfr.Recording recording = null;
        if (config.getOptional(JFR_FILE).isPresent()) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            // Same period for Java and native samples, so that they can be added up.
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
            recording.start();
        }
        JobClient client = env.executeAsync("bench " + job.name());
        say("submitted", String.valueOf(System.currentTimeMillis()));
        Watcher watcher = new Watcher(client);
        watcher.start();
        long netRuntime = 0;
        if (config.get(dev.tideway.connectors.kafka.KafkaOptions.BOUNDED)) {
            netRuntime = client.getJobExecutionResult().get().getNetRuntime();
        } else {
            // Unbounded: run until the parent closes our stdin.
            while (System.in.read() >= 0) {
                // ignore input
            }
            client.cancel().get(1, TimeUnit.MINUTES);
        }
        if (recording != null) {
            recording.stop();
            recording.dump(Path.of(config.get(JFR_FILE)));
        }
        watcher.interrupt();
        System.out.println(watcher.read.tenths());
        say("task-time", watcher.taskTimes.summary());
        String backlog = watcher.backlog.summary();
        if (backlog != null) {
            say("engine-backlog", backlog);
        }
        say(
                "result",
                "net-runtime-ms="
                        + netRuntime
                        + " peak-rss-bytes="
                        + peakRssBytes()
                        + " peak-heap-bytes="
                        + watcher.peakHeap
                        + " sustained-records-per-s="
                        + watcher.read.sustainedPerSecond()
                        + " records-read="
                        + JobMetricsReporter.recordsRead());
        System.exit(0);
    }

    /**
     * Reports status changes (when the job runs, restarts) and the injected failure's time, and
     * samples heap use.
     */
    private static final class Watcher extends Thread {
        private final JobClient client;
        volatile long peakHeap;
        final ReadProgress read = new ReadProgress();
        final TaskTimes taskTimes = new TaskTimes();
        final EngineBacklog backlog = new EngineBacklog();

        Watcher(JobClient client) {
            super("bench-watcher");
            setDaemon(true);
            this.client = client;
        }

        @Override
        public void run() {
            JobStatus last = null;
            int runs = 0;
            long nextHeapSample = 0;
            long nextStatus = 0;
            long nextTaskTimes = 0;
            boolean failureReported = false;
            try {
                while (!isInterrupted()) {
                    long now = System.currentTimeMillis();
                    if (!failureReported && FailOnceAfterCheckpoint.FAILED.get()) {
                        failureReported = true;
                        say("failed-at", String.valueOf(now));
                    }
                    long recordsRead = JobMetricsReporter.recordsRead();
                    read.sample(now, recordsRead);
                    if (now >= nextTaskTimes) {
                        // Flink's time metrics are per second: one sample a second.
                        taskTimes.sample(recordsRead, JobMetricsReporter.taskTimes());
                        backlog.sample(
                                recordsRead,
                                JobMetricsReporter.engineEventsWaiting(),
                                JobMetricsReporter.engineLagMillis());
                        nextTaskTimes = now + 1000;
                    }
                    if (now >= nextHeapSample) {
                        peakHeap =
                                Math.max(
                                        peakHeap,
                                        ManagementFactory.getMemoryMXBean()
                                                .getHeapMemoryUsage()
                                                .getUsed());
                        nextHeapSample = now + 100;
                    }
                    // The status is a call to the dispatcher: every 50 ms is precise enough.
                    JobStatus status =
                            now >= nextStatus
                                    ? client.getJobStatus().get(10, TimeUnit.SECONDS)
                                    : last;
                    nextStatus = now >= nextStatus ? now + 50 : nextStatus;
                    if (status != last) {
                        if (status == JobStatus.RUNNING) {
                            // "running" the first time, "running-again" after a restart.
                            say(runs++ == 0 ? "running" : "running-again", String.valueOf(now));
                        } else if (status == JobStatus.RESTARTING) {
                            say("restarting", String.valueOf(now));
                        }
                        last = status;
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                // The job ended (its status is gone with the MiniCluster): nothing left to watch.
            }
        }
    }

    private static synchronized void say(String report, String value) {
        System.out.println(PROTOCOL + report + " " + value);
        System.out.flush();
    }

    /** VmHWM of /proc/self/status: the most resident memory this process ever had. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }
}
