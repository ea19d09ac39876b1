package dev.tideway.jobs.bench;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.time.EventTimeOptions;
import dev.tideway.jobs.fraud.CardRules;
import dev.tideway.jobs.fraud.CardTransactionFields;
import dev.tideway.jobs.fraud.FraudOptions;
import dev.tideway.jobs.fraud.FraudRules;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import dev.tideway.jobs.generator.Scenario;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.RuleEngineOptions;
import dev.tideway.rules.engine.RuleEngineOperator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * The rules engine alone: the fraud job's rules on RocksDB in Flink's operator test harness, fed
 * the bench's transactions as objects, with watermarks and snapshots at the pace of a job at about
 * 100,000 events/s. No broker, no network, no decoding, one thread: much steadier than a job run,
 * for comparing engine changes before and after. Prints the engine's rate per tenth of the input.
 *
 * <p>{@code scripts/bench engine-only [events (2000000)] [cache keys (default)]}
 */
public final class EngineOnlyBench {
    /** A job's watermark every 200 ms at about 100,000 events/s. */
    private static final int WATERMARK_EVERY = 20_000;

    /** A job's checkpoint every 10 s at about 100,000 events/s. */
    private static final int SNAPSHOT_EVERY = 1_000_000;

    private static final OutputTag<CardTransaction> LATE =
            new OutputTag<>("late", Types.POJO(CardTransaction.class));

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int cacheKeys =
                args.length > 1
                        ? Integer.parseInt(args[1])
                        : RuleEngineOptions.STATE_CACHE_KEYS.defaultValue();
        List<CardTransaction> input = transactions(events);
        System.out.printf(
                Locale.ROOT,
                "engine only: %,d transactions over %,d cards, cache %,d keys%n",
                input.size(),
                ThroughputSection.CARDS,
                cacheKeys);

        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<String, CardTransaction, String, Alert>(
                        new RuleEngineOperator<String, CardTransaction>(
                                CardTransactionFields.SCHEMA,
                                Types.POJO(CardTransaction.class),
                                CardRules.defaults(FraudRules.defaults()),
                                LATE,
                                RuleEngine.RULE_STATUS,
                                cacheKeys,
                                FraudOptions.DEDUP_WINDOW.defaultValue().toMillis()),
                        (CardTransaction tx) -> tx.cardId,
                        null,
                        Types.STRING);
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend(true);
        // The harness has little managed memory; a job's TaskManager gives RocksDB its share.
        rocksDb.getMemoryConfiguration().setUseManagedMemory(false);
        harness.setStateBackend(rocksDb);
        Path checkpoints = Files.createTempDirectory("engine-only-bench");
        harness.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
        try {
            harness.open();
            run(harness, input);
        } finally {
            harness.close();
            JobRuns.delete(checkpoints);
        }
    }

    private static void run(
            KeyedTwoInputStreamOperatorTestHarness<String, CardTransaction, String, Alert> harness,
            List<CardTransaction> input)
            throws Exception {
        int tenth = Math.max(1, input.size() / 10);
        long outOfOrderness = EventTimeOptions.MAX_OUT_OF_ORDERNESS.defaultValue().toMillis();
        long maxTs = Long.MIN_VALUE;
        long snapshots = 0;
        long snapshotNanos = 0;
        long started = System.nanoTime();
        long tenthStarted = started;
        StringBuilder rates = new StringBuilder();
        for (int i = 0; i < input.size(); i++) {
            CardTransaction tx = input.get(i);
            harness.processElement1(new StreamRecord<>(tx, tx.eventTime));
            maxTs = Math.max(maxTs, tx.eventTime);
            if ((i + 1) % WATERMARK_EVERY == 0) {
                harness.processWatermark1(new Watermark(maxTs - outOfOrderness - 1));
            }
            if ((i + 1) % SNAPSHOT_EVERY == 0) {
                long snapshotStarted = System.nanoTime();
                harness.snapshot(++snapshots, snapshots);
                snapshotNanos += System.nanoTime() - snapshotStarted;
            }
            if ((i + 1) % tenth == 0) {
                long now = System.nanoTime();
                rates.append(
                        String.format(Locale.ROOT, " %,.0f", tenth * 1e9 / (now - tenthStarted)));
                tenthStarted = now;
            }
        }
        harness.processWatermark1(new Watermark(Long.MAX_VALUE));
        double seconds = (System.nanoTime() - started) / 1e9;
        long outputs = harness.getOutput().stream().filter(o -> o instanceof StreamRecord).count();
        System.out.printf(
                Locale.ROOT,
                "engine only: %,d events in %.1f s: %,.0f events/s; %,d outputs; %d snapshots took"
                        + " %,d ms; events/s by tenth:%s%n",
                input.size(),
                seconds,
                input.size() / seconds,
                outputs,
                snapshots,
                snapshotNanos / 1_000_000,
                rates);
    }

    /** The bench's transaction feed, decoded; malformed records are left out. */
    private static List<CardTransaction> transactions(int events) {
        Scenario scenario = BenchKafka.scenario(Feed.TRANSACTIONS, events, ThroughputSection.CARDS);
        CardTransactionCodec codec = new CardTransactionCodec();
        List<CardTransaction> input = new ArrayList<>(events);
        for (long i = 0; i < events; i++) {
            DecodeResult<CardTransaction> decoded = codec.decode(scenario.record(i).value);
            if (decoded.isValid()) {
                input.add(decoded.value());
            }
        }
        return input;
    }
}
