package dev.tideway.jobs.bench;

import dev.tideway.jobs.bench.BenchJobs.BenchJob;
import dev.tideway.jobs.bench.BenchKafka.Baseline;
import dev.tideway.jobs.bench.JobProcess.JobResult;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules engine against flink-cep (issue 8): the fraud job with each engine, parallelism 1, over
 * one topic of its own in one run, beside the baseline on that topic. The topic is smaller than the
 * throughput section's, because flink-cep on RocksDB runs at hundreds of events per second: at the
 * throughput section's 5 million events it would take hours.
 */
final class EngineSection {
    /** The jobs compared, the Tideway engine first. */
    static final List<String> JOBS = List.of("fraud", "fraud-cep");

    record Row(BenchJob job, long events, double seconds, JobResult process) {
        double perSecond() {
            return events / seconds;
        }
    }

    record Result(Baseline baseline, List<Row> rows) {
        double ofBaseline(Row row) {
            return row.perSecond() / baseline.perSecond();
        }
    }

    /**
     * @param failures where a job's run that fails is reported; the other job still runs
     */
    static Result run(JobRuns runs, List<String> failures) throws Exception {
        BenchSettings settings = runs.settings();
        BenchKafka kafka = runs.kafka();
        String topic = "bench-engines";
        long events = settings.engineEvents();
        kafka.createTopics(BenchKafka.INPUT_PARTITIONS, List.of(topic));
        kafka.preload(
                topic,
                BenchKafka.scenario(Feed.TRANSACTIONS, events, ThroughputSection.CARDS),
                events);
        Baseline baseline = kafka.baseline(topic, BenchKafka.codec(Feed.TRANSACTIONS));
        Progress.say(
                "  baseline %s: %,d records in %.1f s: %,.0f records/s",
                topic, baseline.records(), baseline.seconds(), baseline.perSecond());
        List<Row> rows = new ArrayList<>();
        for (String name : JOBS) {
            BenchJob job = BenchJobs.named(name);
            var run = runs.prepare(job, "engines-" + name, topic, 1, null);
            try {
                JobResult result = runs.bounded(run, baseline.records(), null);
                rows.add(
                        new Row(
                                job,
                                baseline.records(),
                                result.netRuntimeMillis() / 1000.0,
                                result));
            } catch (Exception e) {
                Progress.say("  %s failed: %s", run.name, e);
                failures.add("engines " + run.name + ": " + e);
            }
        }
        return new Result(baseline, rows);
    }

    private EngineSection() {}
}
