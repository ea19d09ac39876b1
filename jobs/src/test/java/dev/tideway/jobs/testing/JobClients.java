package dev.tideway.jobs.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/** What tests do with the jobs they started. */
public final class JobClients {
    private JobClients() {}

    /**
     * Cancels the job, unless it has ended already, and waits until it has: {@link
     * JobClient#cancel()} returns once the cancel is acknowledged, while the job's tasks, and a
     * checkpoint writing into the test's temporary directory, may still run. JUnit then fails to
     * delete that directory ("Failed to close extension context", seen in CI).
     */
    public static void cancelAndAwaitEnd(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }
}
