package dev.tideway.connectors.files;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A {@link FileSink} (writing, compaction and committing are all FileSink's own) plus one step
 * after its committer: {@link PartitionCommitMarker} writes {@code _SUCCESS} into each partition
 * once it is complete. FileSink has no post-commit hook of its own, so this class delegates every
 * sink role to it and adds that one.
 */
public final class PartitionMarkingFileSink<IN>
        implements Sink<IN>,
                SupportsWriterState<IN, FileWriterBucketState>,
                SupportsWriterState.WithCompatibleState,
                SupportsCommitter<FileSinkCommittable>,
                SupportsPreCommitTopology<FileSinkCommittable, FileSinkCommittable>,
                SupportsPostCommitTopology<FileSinkCommittable> {

    private final FileSink<IN> files;
    private final String basePath;
    private final String uidPrefix;

    PartitionMarkingFileSink(FileSink<IN> files, String basePath, String uidPrefix) {
        this.files = files;
        this.basePath = basePath;
        this.uidPrefix = uidPrefix;
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return files.createWriter(context);
    }

    @Override
    public StatefulSinkWriter<IN, FileWriterBucketState> restoreWriter(
            WriterInitContext context, Collection<FileWriterBucketState> recoveredState)
            throws IOException {
        return files.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<FileWriterBucketState> getWriterStateSerializer() {
        return files.getWriterStateSerializer();
    }

    @Override
    public Collection<String> getCompatibleWriterStateNames() {
        return files.getCompatibleWriterStateNames();
    }

    @Override
    public Committer<FileSinkCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        return files.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getCommittableSerializer() {
        return files.getCommittableSerializer();
    }

    /** The files the writers close, announced to the partition marker; set while translating. */
    private transient DataStream<Tuple2<String, String>> writtenFiles;

    @Override
    public DataStream<CommittableMessage<FileSinkCommittable>> addPreCommitTopology(
            DataStream<CommittableMessage<FileSinkCommittable>> committables) {
        writtenFiles =
                committables
                        .flatMap(new FilesOf(false), FILE_EVENTS)
                        .uid(uidPrefix + "-written-files")
                        .name("files written");
        return files.addPreCommitTopology(committables);
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getWriteResultSerializer() {
        return files.getWriteResultSerializer();
    }

    @Override
    public void addPostCommitTopology(
            DataStream<CommittableMessage<FileSinkCommittable>> committables) {
        DataStream<Tuple2<String, String>> committedFiles =
                committables
                        .flatMap(new FilesOf(true), FILE_EVENTS)
                        .uid(uidPrefix + "-committed-files")
                        .name("files committed");
        writtenFiles
                .global()
                .connect(committedFiles.global())
                .transform(
                        "commit partitions (_SUCCESS)",
                        Types.VOID,
                        new PartitionCommitMarker(basePath))
                .uid(uidPrefix + "-partition-commit")
                .setParallelism(1)
                .setMaxParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .uid(uidPrefix + "-partition-commit-end")
                .setParallelism(1);
    }

    private static final TypeInformation<Tuple2<String, String>> FILE_EVENTS =
            Types.TUPLE(Types.STRING, Types.STRING);

    /**
     * (partition, path) of each file in a sink message. Written: the files the writers closed.
     * Committed: the files committed as written, and the small files cleaned up once their
     * compacted file was committed.
     */
    private static final class FilesOf
            implements FlatMapFunction<
                    CommittableMessage<FileSinkCommittable>, Tuple2<String, String>> {
        private final boolean committed;

        FilesOf(boolean committed) {
            this.committed = committed;
        }

        @Override
        public void flatMap(
                CommittableMessage<FileSinkCommittable> message,
                Collector<Tuple2<String, String>> out) {
            if (!(message instanceof CommittableWithLineage<FileSinkCommittable> lineage)) {
                return;
            }
            FileSinkCommittable file = lineage.getCommittable();
            if (file.hasPendingFile() && file.getPendingFile().getPath() != null) {
                out.collect(
                        Tuple2.of(file.getBucketId(), file.getPendingFile().getPath().toString()));
            } else if (committed && file.hasCompactedFileToCleanup()) {
                out.collect(
                        Tuple2.of(file.getBucketId(), file.getCompactedFileToCleanup().toString()));
            }
        }
    }
}
