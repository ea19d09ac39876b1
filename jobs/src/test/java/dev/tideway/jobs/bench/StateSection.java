package dev.tideway.jobs.bench;

import dev.tideway.jobs.bench.JobProcess.JobResult;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import java.util.ArrayList;
import java.util.List;

/**
 * State scale: the fraud job's throughput at parallelism 1 over topics that differ only in the
 * number of distinct cards, and the memory of the job's process (peak RSS: heap plus RocksDB).
 */
final class StateSection {

    /**
     * @param distinctCards cards expected among the records: c * (1 - e^(-n/c)) for n uniform draws
     *     among c cards
     */
    record Row(int cards, long events, long distinctCards, double seconds, JobResult process) {
        double perSecond() {
            return events / seconds;
        }
    }

    static List<Row> run(JobRuns runs) throws Exception {
        BenchSettings settings = runs.settings();
        List<Row> rows = new ArrayList<>();
        var fraud = BenchJobs.named("fraud");
        for (int cards : settings.cards()) {
            String topic = "bench-state-" + cards;
            long events = settings.stateEvents();
            runs.kafka().createTopics(BenchKafka.INPUT_PARTITIONS, List.of(topic));
            runs.kafka()
                    .preload(topic, BenchKafka.scenario(Feed.TRANSACTIONS, events, cards), events);
            var run = runs.prepare(fraud, "state-" + cards + "-cards", topic, 1, null);
            JobResult result = runs.bounded(run, events, null);
            long distinct = Math.round(cards * (1 - Math.exp(-(double) events / cards)));
            rows.add(new Row(cards, events, distinct, result.netRuntimeMillis() / 1000.0, result));
        }
        return rows;
    }

    private StateSection() {}
}
