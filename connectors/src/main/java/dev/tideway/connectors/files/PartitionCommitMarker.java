package dev.tideway.connectors.files;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes {@code _SUCCESS} into a partition once it is complete: every file of it committed and the
 * watermark past the partition's end, so no more on-time events can arrive for it.
 *
 * <p>Runs after the file sink's committer, with parallelism 1. It sees the committed files of each
 * checkpoint (the committer emits them only after committing) and remembers the watermark it had
 * when that checkpoint's barrier passed it. Watermarks travel in order with barriers, so the sink's
 * writers had received every on-time record below that watermark before the same barrier: once all
 * files of that checkpoint are committed, every partition ending at or below it is complete.
 */
final class PartitionCommitMarker extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<CommittableMessage<FileSinkCommittable>, Void> {
    static final String MARKER = "_SUCCESS";

    private final String basePath;

    /** Partitions with committed files and no marker yet. Kept in state across restarts. */
    private final TreeSet<String> openPartitions = new TreeSet<>();

    /** The watermark at each checkpoint's barrier, until that checkpoint's files are committed. */
    private final TreeMap<Long, Long> watermarkAtCheckpoint = new TreeMap<>();

    private final Map<Long, Progress> commits = new HashMap<>();
    private transient ListState<String> openPartitionsState;
    private transient ListState<Long> watermarkState;
    private transient Counter markersWritten;
    private long watermark = Long.MIN_VALUE;
    private boolean endOfInput;

    PartitionCommitMarker(String basePath) {
        this.basePath = basePath;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        openPartitionsState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("open-partitions", Types.STRING));
        for (String partition : openPartitionsState.get()) {
            openPartitions.add(partition);
        }
        // Watermarks are not state: a restored source that reads nothing new never emits one
        // again. The watermark of the restored checkpoint stays true (its files are committed
        // again on restore, before any later checkpoint's), so carry it over.
        watermarkState =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>("watermark", Types.LONG));
        for (Long restored : watermarkState.get()) {
            watermark = Math.max(watermark, restored);
        }
        markersWritten = getRuntimeContext().getMetricGroup().counter("tidewayPartitionsCommitted");
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkAtCheckpoint.put(context.getCheckpointId(), watermark);
        openPartitionsState.update(new ArrayList<>(openPartitions));
        watermarkState.update(List.of(watermark));
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<FileSinkCommittable>> element)
            throws IOException {
        CommittableMessage<FileSinkCommittable> message = element.getValue();
        if (message instanceof CommittableSummary<FileSinkCommittable> summary) {
            Progress progress =
                    commits.computeIfAbsent(summary.getCheckpointId(), id -> new Progress());
            progress.summaries++;
            progress.subtasks = summary.getNumberOfSubtasks();
            progress.expected += summary.getNumberOfCommittables();
            checkComplete(summary.getCheckpointId(), progress);
        } else if (message instanceof CommittableWithLineage<FileSinkCommittable> committed) {
            FileSinkCommittable committable = committed.getCommittable();
            if (committable.hasPendingFile()) {
                openPartitions.add(committable.getBucketId());
            }
            Progress progress =
                    commits.computeIfAbsent(committed.getCheckpointId(), id -> new Progress());
            progress.received++;
            checkComplete(committed.getCheckpointId(), progress);
        }
    }

    private void checkComplete(long checkpointId, Progress progress) throws IOException {
        if (progress.summaries < progress.subtasks || progress.received < progress.expected) {
            return;
        }
        commits.remove(checkpointId);
        Long safeWatermark = watermarkAtCheckpoint.get(checkpointId);
        watermarkAtCheckpoint.headMap(checkpointId, true).clear();
        if (safeWatermark == null) {
            // Committed before this attempt saw the barrier (replayed after a restore): a later
            // checkpoint will tell.
            return;
        }
        List<String> complete = new ArrayList<>();
        for (String partition : openPartitions) {
            if (EventTimePartitions.partitionEnd(partition) <= safeWatermark) {
                complete.add(partition);
            }
        }
        for (String partition : complete) {
            mark(partition);
        }
    }

    @Override
    public void finish() throws Exception {
        endOfInput = watermark == Long.MAX_VALUE;
        super.finish();
    }

    /**
     * End of a bounded run: the watermark is at +infinity. The final checkpoint's files never reach
     * this operator (the committer commits them after its input ended, and Flink forwards nothing
     * after that), but this operator closes only after the committer has finished, so its files are
     * committed now: find the partitions with committed files in the file system.
     */
    @Override
    public void close() throws Exception {
        if (endOfInput) {
            Path root = new Path(basePath);
            openPartitions.addAll(partitionsWithFiles(root.getFileSystem(), root));
            for (String partition : new ArrayList<>(openPartitions)) {
                mark(partition);
            }
        }
        super.close();
    }

    /** {@code <type>/dt=.../hour=...} directories that hold at least one committed file. */
    private static List<String> partitionsWithFiles(FileSystem fs, Path root) throws IOException {
        List<String> partitions = new ArrayList<>();
        if (!fs.exists(root)) {
            return partitions;
        }
        for (FileStatus type : fs.listStatus(root)) {
            for (FileStatus day : directories(fs, type.getPath(), "dt=")) {
                for (FileStatus hour : directories(fs, day.getPath(), "hour=")) {
                    boolean hasData = false;
                    for (FileStatus file : fs.listStatus(hour.getPath())) {
                        String name = file.getPath().getName();
                        hasData |= !file.isDir() && !name.startsWith(".") && !name.startsWith("_");
                    }
                    if (hasData) {
                        partitions.add(
                                type.getPath().getName()
                                        + "/"
                                        + day.getPath().getName()
                                        + "/"
                                        + hour.getPath().getName());
                    }
                }
            }
        }
        return partitions;
    }

    private static List<FileStatus> directories(FileSystem fs, Path parent, String prefix)
            throws IOException {
        List<FileStatus> result = new ArrayList<>();
        if (fs.getFileStatus(parent).isDir()) {
            for (FileStatus child : fs.listStatus(parent)) {
                if (child.isDir() && child.getPath().getName().startsWith(prefix)) {
                    result.add(child);
                }
            }
        }
        return result;
    }

    private void mark(String partition) throws IOException {
        Path marker = new Path(new Path(basePath, partition), MARKER);
        // Idempotent: a replay after a restore overwrites the same empty marker.
        marker.getFileSystem().create(marker, FileSystem.WriteMode.OVERWRITE).close();
        openPartitions.remove(partition);
        markersWritten.inc();
    }

    private static final class Progress {
        int summaries;
        int subtasks = Integer.MAX_VALUE;
        long expected;
        long received;
    }
}
