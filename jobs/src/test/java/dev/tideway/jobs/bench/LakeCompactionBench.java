package dev.tideway.jobs.bench;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.files.EventFileSinks;
import dev.tideway.connectors.files.FileSinkOptions;
import dev.tideway.connectors.files.parquet.LakeSchemas;
import dev.tideway.connectors.testing.LakeContents;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Files per partition and mean file size of the Parquet lake with and without compaction, for a
 * stated rate, duration and checkpoint interval (parallelism 2, local files). Prints a markdown
 * table. {@code scripts/bench lake [--rate R] [--seconds S] [--checkpoint-ms C]}.
 */
public final class LakeCompactionBench {

    public static void main(String[] args) throws Exception {
        int rate = intArg(args, "--rate", 5_000);
        int seconds = intArg(args, "--seconds", 60);
        int checkpointMs = intArg(args, "--checkpoint-ms", 2_000);
        long events = (long) rate * seconds;
        Path work = Files.createTempDirectory("tideway-lake-bench");
        System.out.printf(
                "Lake compaction: %,d card transactions at %,d/s (%d s), checkpoints every %d ms,"
                        + " parallelism 2, event time spread over 3 hours%n",
                events, rate, seconds, checkpointMs);
        StringBuilder table = new StringBuilder();
        table.append(
                "| compaction | partitions | files | files per partition | mean file size |\n");
        table.append("|---|---:|---:|---:|---:|\n");
        for (boolean compaction : new boolean[] {false, true}) {
            Path lake = work.resolve(compaction ? "compacted" : "plain");
            System.out.printf("  writing %s ...%n", compaction ? "with compaction" : "without");
            run(lake, work.resolve("cp-" + compaction), compaction, rate, events, checkpointMs);
            LakeContents<CardTransaction> contents =
                    LakeContents.read(
                            lake.toUri().toString(),
                            "card_transactions",
                            LakeSchemas.CARD_TRANSACTION);
            if (contents.rows().size() != events) {
                throw new IllegalStateException(
                        "expected " + events + " rows, read " + contents.rows().size());
            }
            int partitions = contents.filesByPartition().size();
            table.append(
                    String.format(
                            "| %s | %d | %d | %.1f | %,d KiB |%n",
                            compaction ? "every 5 checkpoints" : "off",
                            partitions,
                            contents.fileCount(),
                            contents.fileCount() / (double) partitions,
                            contents.meanFileBytes() / 1024));
        }
        System.out.println();
        System.out.print(table);
    }

    private static void run(
            Path lake,
            Path checkpoints,
            boolean compaction,
            int rate,
            long events,
            int checkpointMs)
            throws Exception {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", checkpointMs + "ms");
        config.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        config.set(FileSinkOptions.COMPACTION, compaction);
        config.set(FileSinkOptions.COMPACTION_CHECKPOINTS, 5);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        long start = Instant.now().minus(Duration.ofHours(4)).toEpochMilli();
        long step = Duration.ofHours(3).toMillis() / events;
        DataGeneratorSource<CardTransaction> source =
                new DataGeneratorSource<>(
                        (GeneratorFunction<Long, CardTransaction>)
                                i ->
                                        new CardTransaction(
                                                "tx-" + i,
                                                "card-" + (i % 10_000),
                                                "acct-" + (i % 10_000),
                                                "shop-" + (i % 97),
                                                BigDecimal.valueOf(500 + i % 40_000, 2),
                                                "EUR",
                                                48.85,
                                                2.35,
                                                AuthorizationResult.APPROVED,
                                                start + i * step),
                        events,
                        RateLimiterStrategy.perSecond(rate),
                        Types.POJO(CardTransaction.class));
        env.fromSource(
                        source,
                        WatermarkStrategy.<CardTransaction>forMonotonousTimestamps()
                                .withTimestampAssigner((t, ts) -> t.eventTime),
                        "transactions")
                .sinkTo(
                        EventFileSinks.parquet(
                                config,
                                lake.toUri().toString(),
                                "card_transactions",
                                LakeSchemas.CARD_TRANSACTION,
                                t -> t.eventTime,
                                "bench-lake"))
                .uid("bench-lake");
        env.execute("lake compaction bench");
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private LakeCompactionBench() {}
}
