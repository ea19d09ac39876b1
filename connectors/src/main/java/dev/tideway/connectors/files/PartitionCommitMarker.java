package dev.tideway.connectors.files;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes {@code _SUCCESS} into a partition once it is complete: the watermark has passed the
 * partition's end (no more on-time events can arrive for it) and every file written for it is
 * committed. Runs with parallelism 1 and keeps books per file:
 *
 * <ul>
 *   <li>input 1, from the sink's writers (before compaction): each file they close, as (partition,
 *       path), and their watermark. Writers close files and emit them before each checkpoint
 *       barrier, after the watermark they had: so the watermark seen when a checkpoint's barrier
 *       passes here covers only data whose files have already been announced;
 *   <li>input 2, after the committer: each file committed as it was written, or compacted into a
 *       larger one (the compactor then reports the small file as cleaned up).
 * </ul>
 *
 * A partition whose end is at or below the watermark of the last completed checkpoint and that has
 * no announced file still waiting is complete. Compaction does not break this: a partition's small
 * files stay outstanding until their compacted file is committed.
 */
final class PartitionCommitMarker extends AbstractStreamOperator<Void>
        implements TwoInputStreamOperator<Tuple2<String, String>, Tuple2<String, String>, Void> {
    static final String MARKER = "_SUCCESS";
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(PartitionCommitMarker.class);

    private final String basePath;

    /** Per partition with data and no marker yet: its files not committed yet. */
    private final Map<String, Set<String>> outstanding = new HashMap<>();

    private final Map<Long, Long> watermarkAtCheckpoint = new HashMap<>();
    private long writersWatermark = Long.MIN_VALUE;
    private long safeWatermark = Long.MIN_VALUE;
    private boolean endOfInput;
    private boolean finalCheckpointCompleted;

    private transient ListState<Tuple2<String, String>> outstandingState;
    private transient ListState<Long> watermarkState;
    private transient Counter markersWritten;

    PartitionCommitMarker(String basePath) {
        this.basePath = basePath;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var store = context.getOperatorStateStore();
        outstandingState =
                store.getUnionListState(
                        new ListStateDescriptor<>(
                                "outstanding-files", Types.TUPLE(Types.STRING, Types.STRING)));
        for (Tuple2<String, String> file : outstandingState.get()) {
            if (file.f1.isEmpty()) {
                outstanding.computeIfAbsent(file.f0, p -> new HashSet<>());
            } else {
                outstanding.computeIfAbsent(file.f0, p -> new HashSet<>()).add(file.f1);
            }
        }
        // Watermarks are not state, and a restored source that reads nothing new never emits one
        // again: carry the last safe one over (its files were announced before that checkpoint).
        watermarkState =
                store.getUnionListState(new ListStateDescriptor<>("safe-watermark", Types.LONG));
        for (Long restored : watermarkState.get()) {
            safeWatermark = Math.max(safeWatermark, restored);
        }
        markersWritten = getRuntimeContext().getMetricGroup().counter("tidewayPartitionsCommitted");
    }

    /** A file the writers closed: (partition, path). */
    @Override
    public void processElement1(StreamRecord<Tuple2<String, String>> written) {
        String partition = written.getValue().f0;
        String path = written.getValue().f1;
        outstanding.computeIfAbsent(partition, p -> new HashSet<>()).add(path);
    }

    /**
     * A file committed, or a small file cleaned up after its compacted file was committed. A file
     * is always announced first: the committer reports it only after the checkpoint whose barrier
     * followed its announcement. Compacted files were never announced: nothing waits for them.
     */
    @Override
    public void processElement2(StreamRecord<Tuple2<String, String>> committed) throws IOException {
        String partition = committed.getValue().f0;
        Set<String> files = outstanding.get(partition);
        if (files != null && files.remove(committed.getValue().f1)) {
            markIfComplete(partition);
        }
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        writersWatermark = Math.max(writersWatermark, mark.getTimestamp());
        super.processWatermark1(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkAtCheckpoint.put(context.getCheckpointId(), writersWatermark);
        List<Tuple2<String, String>> files = new ArrayList<>();
        outstanding.forEach(
                (partition, paths) -> {
                    files.add(Tuple2.of(partition, ""));
                    paths.forEach(path -> files.add(Tuple2.of(partition, path)));
                });
        outstandingState.update(files);
        watermarkState.update(List.of(safeWatermark));
    }

    /**
     * The checkpoint is complete, so every file announced before its barrier, which holds all
     * on-time data below the watermark seen then, is accounted for: those partitions may be marked
     * as soon as their files are committed.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        finalCheckpointCompleted = endOfInput;
        Long watermark = watermarkAtCheckpoint.remove(checkpointId);
        watermarkAtCheckpoint.keySet().removeIf(id -> id < checkpointId);
        if (watermark != null && watermark > safeWatermark) {
            safeWatermark = watermark;
            for (String partition : new ArrayList<>(outstanding.keySet())) {
                markIfComplete(partition);
            }
        }
    }

    private void markIfComplete(String partition) throws IOException {
        Set<String> files = outstanding.get(partition);
        if (files != null
                && files.isEmpty()
                && EventTimePartitions.partitionEnd(partition) <= safeWatermark) {
            mark(partition);
        }
    }

    @Override
    public void finish() throws Exception {
        endOfInput = writersWatermark == Long.MAX_VALUE;
        super.finish();
    }

    /**
     * End of a bounded run: the watermark is at +infinity and the final checkpoint has completed.
     * Its commits never reach this operator (the committer commits them after its input ended, and
     * Flink forwards nothing after that), but this operator closes only after the committer has
     * finished: every partition this sink announced is complete now. Not on failure or
     * cancellation, where close() is called too.
     */
    @Override
    public void close() throws Exception {
        if (endOfInput && finalCheckpointCompleted) {
            for (String partition : new ArrayList<>(outstanding.keySet())) {
                mark(partition);
            }
        }
        super.close();
    }

    private void mark(String partition) throws IOException {
        Path marker = new Path(new Path(basePath, partition), MARKER);
        // Idempotent: a replay after a restore overwrites the same empty marker.
        marker.getFileSystem().create(marker, FileSystem.WriteMode.OVERWRITE).close();
        outstanding.remove(partition);
        markersWritten.inc();
        LOG.info("Partition {} complete: {} written", partition, marker);
    }
}
