package dev.tideway.jobs.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker in its own JVM, started and stopped by scripts/kafka, so that a test can restart
 * it: the in-process test kit cannot come back on the same port with the same data.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private final Path runDir;
    private final int port = freePort();
    private final int controllerPort = freePort();

    KafkaBrokerProcess(Path runDir) {
        this.runDir = runDir;
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    void start() {
        script("start");
    }

    void stop() {
        script("stop");
    }

    @Override
    public void close() {
        stop();
    }

    private void script(String command) {
        ProcessBuilder builder =
                new ProcessBuilder(List.of(ROOT.resolve("scripts/kafka").toString(), command))
                        .redirectErrorStream(true);
        builder.environment().put("TIDEWAY_RUN_DIR", runDir.toString());
        builder.environment().put("TIDEWAY_KAFKA_PORT", String.valueOf(port));
        builder.environment().put("TIDEWAY_KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort));
        try {
            Process process = builder.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/kafka " + command + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
