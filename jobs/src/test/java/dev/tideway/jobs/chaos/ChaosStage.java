package dev.tideway.jobs.chaos;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A stage in the pipeline that makes trouble: it is slow (the downstream pressure a slow sink puts
 * on the job, felt all the way back to the Kafka source), and it fails the job when the records
 * that passed it, over all subtasks and attempts, cross each of the seeded thresholds, once a
 * checkpoint has completed since the previous failure (so the job makes progress between failures).
 * Static state: the MiniCluster runs in the test's JVM, and failures must be counted across
 * restarts.
 */
final class ChaosStage<T> extends RichMapFunction<T, T> implements CheckpointListener {
    static final AtomicLong PASSED = new AtomicLong();
    static final AtomicInteger FAILURES = new AtomicInteger();
    static final AtomicLong LAST_CHECKPOINT = new AtomicLong();
    static volatile List<Long> thresholds = List.of();
    static volatile long checkpointAtLastFailure = -1;

    private final int recordsPerMillisecond;
    private long seen;

    ChaosStage(int recordsPerMillisecond) {
        this.recordsPerMillisecond = recordsPerMillisecond;
    }

    static void reset(List<Long> failureThresholds) {
        PASSED.set(0);
        FAILURES.set(0);
        LAST_CHECKPOINT.set(0);
        checkpointAtLastFailure = -1;
        thresholds = failureThresholds;
    }

    @Override
    public T map(T value) throws Exception {
        if (++seen % recordsPerMillisecond == 0) {
            Thread.sleep(1); // the slow stage: backpressure
        }
        long passed = PASSED.incrementAndGet();
        int failures = FAILURES.get();
        if (failures < thresholds.size() && passed >= thresholds.get(failures)) {
            long checkpoint = LAST_CHECKPOINT.get();
            if (checkpoint > checkpointAtLastFailure
                    && FAILURES.compareAndSet(failures, failures + 1)) {
                checkpointAtLastFailure = checkpoint;
                throw new RuntimeException(
                        "chaos: injected failure "
                                + (failures + 1)
                                + " after "
                                + passed
                                + " records");
            }
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        LAST_CHECKPOINT.accumulateAndGet(checkpointId, Math::max);
    }
}
