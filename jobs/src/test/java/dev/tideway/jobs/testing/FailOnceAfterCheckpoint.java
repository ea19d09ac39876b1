package dev.tideway.jobs.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Throws once per test, at the first record after {@code failAfter} records once a checkpoint has
 * completed, so that the job restarts from that checkpoint. Until then it slows down, to give the
 * checkpoint time. Reset {@link #FAILED} before each test.
 */
public final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T>
        implements CheckpointListener {
    public static final AtomicBoolean FAILED = new AtomicBoolean();
    private final long failAfter;
    private long seen;
    private volatile boolean checkpointed;

    public FailOnceAfterCheckpoint(long failAfter) {
        this.failAfter = failAfter;
    }

    @Override
    public T map(T record) throws Exception {
        if (++seen >= failAfter && !FAILED.get()) {
            if (checkpointed && FAILED.compareAndSet(false, true)) {
                throw new RuntimeException("injected failure after " + seen + " records");
            }
            Thread.sleep(1);
        }
        return record;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
