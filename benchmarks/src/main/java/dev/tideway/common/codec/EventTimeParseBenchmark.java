package dev.tideway.common.codec;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One step of validation, the event time of every record: Instant.parse (DateTimeFormatter) against
 * the codec's reader of the canonical form, which defers to Instant.parse for anything else. In the
 * codec's package, because that reader is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventTimeParseBenchmark {
    private final String[] times = new String[1024];
    private int next;

    @Setup
    public void setUp() {
        long start = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
        for (int i = 0; i < times.length; i++) {
            times[i] = Instant.ofEpochMilli(start + i * 977L).toString();
        }
    }

    private String time() {
        next = (next + 1) & (times.length - 1);
        return times[next];
    }

    @Benchmark
    public Instant instantParse() {
        return Instant.parse(time());
    }

    @Benchmark
    public Instant canonicalReader() {
        return JsonFields.canonicalInstant(time());
    }
}
