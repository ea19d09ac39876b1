package dev.tideway.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a real standalone Flink cluster through {@code scripts/flink}, exactly as a person would,
 * with its own run folder and free ports. {@link #close()} stops every JVM the script started.
 */
final class LocalCluster implements AutoCloseable {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final Path runDir;
    private final int restPort = freePort();
    private final int rpcPort = freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    LocalCluster(Path runDir) {
        this.runDir = runDir;
    }

    String script(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("scripts/flink").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("TIDEWAY_RUN_DIR", runDir.toString());
        env.put("TIDEWAY_FLINK_REST_PORT", String.valueOf(restPort));
        env.put("TIDEWAY_FLINK_RPC_PORT", String.valueOf(rpcPort));
        try {
            Process process = builder.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "scripts/flink " + String.join(" ", args) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits a job through the CLI; returns its id. */
    String submit(String... runArgs) {
        String output = script(concat("run", runArgs));
        Matcher m = JOB_ID.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no JobID in:\n" + output);
        }
        return m.group(1);
    }

    JsonNode rest(String path) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + restPort + path))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The job is RUNNING and so is every one of its tasks that has not finished. */
    boolean fullyRunning(String jobId) {
        JsonNode job = rest("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        // A bounded source that is done (the fraud job's empty rule-update source when no rules
        // topic is set) is FINISHED, as in any Flink 2 job; every other vertex must run.
        boolean running = false;
        for (JsonNode vertex : job.path("vertices")) {
            String status = vertex.path("status").asText();
            running |= "RUNNING".equals(status);
            if (!"RUNNING".equals(status) && !"FINISHED".equals(status)) {
                return false;
            }
        }
        return running;
    }

    /** Numbers (1, 2, ...) of the TaskManagers that run tasks of the job. */
    java.util.SortedSet<Integer> taskManagersOf(String jobId) {
        java.util.SortedSet<Integer> numbers = new java.util.TreeSet<>();
        for (JsonNode vertex : rest("/jobs/" + jobId).path("vertices")) {
            JsonNode tms =
                    rest(
                            "/jobs/"
                                    + jobId
                                    + "/vertices/"
                                    + vertex.path("id").asText()
                                    + "/taskmanagers");
            for (JsonNode tm : tms.path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (id.startsWith("taskmanager-")) {
                    numbers.add(Integer.parseInt(id.substring("taskmanager-".length())));
                }
            }
        }
        return numbers;
    }

    JsonNode checkpointCounts(String jobId) {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts");
    }

    @Override
    public void close() {
        script("stop");
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
