package dev.tideway.connectors.files;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Before a job starts: can it write to the lake? Writes and deletes a small probe object, and turns
 * what goes wrong into a message that names the setting to fix, instead of a task failing in a
 * restart loop with a stack trace from deep inside the S3 client.
 */
public final class LakePreflight {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param lakePath the lake root (file://, s3://, ...)
     * @param option the option that set it, named in errors
     */
    public static void check(String lakePath, String option) {
        Path root = new Path(lakePath);
        Path probe = new Path(root, "_tideway_preflight_" + UUID.randomUUID());
        CompletableFuture<Void> attempt =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                FileSystem fs = root.getFileSystem();
                                fs.create(probe, FileSystem.WriteMode.OVERWRITE).close();
                                fs.delete(probe, false);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        try {
            attempt.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new IllegalStateException(
                    "Writing to the lake at "
                            + lakePath
                            + " did not finish within "
                            + TIMEOUT.toSeconds()
                            + " s: is the S3 endpoint (s3.endpoint) reachable?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the lake", e);
        } catch (ExecutionException e) {
            throw explain(lakePath, option, e.getCause());
        }
    }

    static IllegalStateException explain(String lakePath, String option, Throwable failure) {
        String all = describe(failure).toLowerCase(Locale.ROOT);
        String scheme = new Path(lakePath).toUri().getScheme();
        String cause = root(failure).toLowerCase(Locale.ROOT);
        String fix;
        if (cause.startsWith("connectexception")
                || cause.startsWith("unknownhostexception")
                || cause.startsWith("sockettimeoutexception")
                || cause.startsWith("noroutetohostexception")) {
            fix =
                    "the S3 endpoint cannot be reached: check s3.endpoint and that the server is"
                            + " up";
        } else if (all.contains("unsupportedfilesystemschemeexception")
                || all.contains("could not find a file system implementation")) {
            fix =
                    "no file system for '"
                            + scheme
                            + "://' is loaded: for s3:// the flink-s3-fs-hadoop plugin must be in"
                            + " the plugins directory (<plugins>/s3-fs-hadoop/; scripts/flink start"
                            + " installs it in .run/flink/plugins), see the README";
        } else if (all.contains("nosuchbucket")
                || (all.contains("bucket") && all.contains("does not exist"))) {
            fix =
                    "the bucket does not exist: create it, or fix "
                            + option
                            + " (s3://<bucket>/<prefix>)";
        } else if (all.contains("invalidaccesskeyid")
                || all.contains("signaturedoesnotmatch")
                || all.contains("accessdenied")
                || all.contains("status code: 403")
                || all.contains("no aws credentials")) {
            fix =
                    "S3 rejected the credentials: check s3.access-key and s3.secret-key (or the"
                            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables)";
        } else {
            fix = "check " + option + " and the s3.* settings";
        }
        return new IllegalStateException(
                "Cannot write to the lake at "
                        + lakePath
                        + ": "
                        + fix
                        + ". Cause: "
                        + root(failure),
                failure);
    }

    private static String describe(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static String root(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    private LakePreflight() {}
}
