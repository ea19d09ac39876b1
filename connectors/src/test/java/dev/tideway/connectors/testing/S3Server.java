package dev.tideway.connectors.testing;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 API in this JVM: s3proxy with its file-system backend, on a free port, with credentials
 * checked (AWS signature v2/v4). Objects live under a temporary directory. {@link #stop()} and
 * {@link #start()} again keep the port and the objects: an outage, not a new server.
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback {
    public static final String ACCESS_KEY = "tideway-test";
    public static final String SECRET_KEY = "tideway-test-secret";
    public static final String BUCKET = "lake";

    private Path dataDir;
    private int port;
    private S3Proxy proxy;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("tideway-s3-");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        start();
        blobStore().createContainer(BUCKET);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        S3Proxy started =
                S3Proxy.builder()
                        .blobStore(blobStore())
                        .endpoint(URI.create("http://127.0.0.1:" + port))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
        started.start();
        while (!"STARTED".equals(started.getState())) {
            Thread.onSpinWait();
        }
        proxy = started;
    }

    /** Stops answering; the objects stay for the next {@link #start()}. */
    public synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    private BlobStore blobStore() {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        return BlobStores.create("filesystem", properties);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The flink-s3-fs-hadoop settings that reach this server. */
    public Configuration flinkConfig() {
        Configuration config = new Configuration();
        config.setString("s3.endpoint", endpoint());
        config.setString("s3.path.style.access", "true");
        config.setString("s3.access-key", ACCESS_KEY);
        config.setString("s3.secret-key", SECRET_KEY);
        config.setString("s3.endpoint.region", "us-east-1");
        // Fail fast while the server is down: the job's restart strategy retries, not the client.
        config.setString("s3.attempts.maximum", "2");
        config.setString("s3.retry.limit", "2");
        config.setString("s3.connection.establish.timeout", "2000");
        config.setString("s3.connection.timeout", "5000");
        return config;
    }

    /** Where the server keeps the bucket's objects (to inspect, never to write). */
    public Path bucketDirectory() {
        return dataDir.resolve(BUCKET);
    }
}
