package dev.tideway.benchmarks;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fraud job's hot path per record: decoding and validating one CardTransaction JSON record, as
 * the Kafka source does for every record. Compares the codec's streaming decoder (Jackson's
 * JsonParser straight from the bytes into field slots) with the former databind-tree decoder
 * (payload to String, {@code readTree}, then the same field validation). Records are the
 * generator's shape: ASCII, or with a non-ASCII merchant name (which takes the strict UTF-8 check).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CardTransactionDecodeBenchmark {

    /** Distinct records cycled through, so that branch predictors do not learn one record. */
    private static final int RECORDS = 1024;

    @Param({"ascii", "non-ascii"})
    public String text;

    private final CardTransactionCodec codec = new CardTransactionCodec();
    private byte[][] records;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        records = new byte[RECORDS][];
        long now = Instant.now().minusSeconds(3600).toEpochMilli();
        for (int i = 0; i < RECORDS; i++) {
            String merchant = "merchant-" + random.nextInt(500);
            if (text.equals("non-ascii")) {
                merchant = "Café " + merchant;
            }
            records[i] =
                    codec.encode(
                            new CardTransaction(
                                    "tx-" + i,
                                    "card-" + random.nextInt(100_000),
                                    "acct-" + random.nextInt(50_000),
                                    merchant,
                                    BigDecimal.valueOf(500 + random.nextInt(47_500), 2),
                                    new String[] {"EUR", "USD", "GBP"}[i % 3],
                                    -40 + random.nextDouble() * 95,
                                    -120 + random.nextDouble() * 250,
                                    AuthorizationResult.APPROVED,
                                    now + i));
            if (!codec.decode(records[i]).isValid()) {
                throw new IllegalStateException("benchmark record is invalid");
            }
        }
    }

    private byte[] record() {
        next = (next + 1) & (RECORDS - 1);
        return records[next];
    }

    /** The codec as the jobs use it. */
    @Benchmark
    public DecodeResult<CardTransaction> streaming() {
        return codec.decode(record());
    }

    /** The former decoder: String, databind tree, validation. */
    @Benchmark
    public DecodeResult<CardTransaction> tree() {
        return codec.decodeWithTree(record());
    }
}
