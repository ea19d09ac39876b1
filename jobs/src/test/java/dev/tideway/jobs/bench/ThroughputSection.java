package dev.tideway.jobs.bench;

import dev.tideway.jobs.bench.BenchJobs.BenchJob;
import dev.tideway.jobs.bench.BenchKafka.Baseline;
import dev.tideway.jobs.bench.JobProcess.JobResult;
import dev.tideway.jobs.generator.GeneratorOptions.Feed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput: each job over a preloaded topic of its feed, bounded at the preloaded end, at each
 * parallelism; and per feed the baseline, one thread that reads and decodes the same topic.
 *
 * <p>The baseline runs again after every job's run, and a run's share of the baseline is against
 * the mean of the baselines right before and right after it: on this kind of machine the baseline
 * drifted by up to a third between runs minutes apart, and a share taken against one baseline at
 * the start counted that drift as the jobs'.
 */
final class ThroughputSection {
    /** Distinct cards of the preloaded transactions (as in DESIGN.md's CEP measurement). */
    static final int CARDS = 100_000;

    /**
     * @param cores the cores the run could use: min(parallelism, cores of the machine)
     * @param before the baseline on the same topic right before this run
     * @param after the baseline on the same topic right after this run
     */
    record Row(
            BenchJob job,
            Feed feed,
            int parallelism,
            long events,
            double seconds,
            double cores,
            JobResult process,
            Baseline before,
            Baseline after) {
        double perSecond() {
            return events / seconds;
        }

        double perCore() {
            return perSecond() / cores;
        }

        /**
         * Records per second over the middle of the topic (see {@link ReadProgress}); 0 if none.
         */
        double sustainedPerSecond() {
            return process.sustainedPerSecond();
        }

        /** The mean rate of the baselines right before and right after the run. */
        double baselinePerSecond() {
            return (before.perSecond() + after.perSecond()) / 2;
        }

        /** The mean sustained rate of the baselines right before and right after the run. */
        double baselineSustainedPerSecond() {
            return (before.sustainedPerSecond() + after.sustainedPerSecond()) / 2.0;
        }
    }

    /**
     * @param baselines the first baseline of each feed, before any job ran
     */
    record Result(Map<Feed, Baseline> baselines, List<Row> rows, Path profile) {
        /** Against the mean of the baselines right before and right after the run. */
        double ofBaseline(Row row) {
            return row.perSecond() / row.baselinePerSecond();
        }

        /** Whether the run and the baselines around it were long enough for a sustained rate. */
        boolean hasSustained(Row row) {
            return row.sustainedPerSecond() > 0
                    && row.before().sustainedPerSecond() > 0
                    && row.after().sustainedPerSecond() > 0;
        }

        /** Sustained against sustained: the job's and the baselines' middle 80 % of the topic. */
        double sustainedOfBaseline(Row row) {
            return row.sustainedPerSecond() / row.baselineSustainedPerSecond();
        }
    }

    /**
     * @param failures where a job's run that fails is reported; the other jobs still run
     */
    static Result run(JobRuns runs, List<String> failures) throws Exception {
        BenchSettings settings = runs.settings();
        BenchKafka kafka = runs.kafka();
        List<BenchJob> jobs = settings.jobs().stream().map(BenchJobs::named).toList();
        Map<Feed, String> topics = new EnumMap<>(Feed.class);
        Map<Feed, Baseline> baselines = new EnumMap<>(Feed.class);
        for (BenchJob job : jobs) {
            Feed feed = job.kind().feed;
            if (topics.containsKey(feed)) {
                continue;
            }
            String topic = "bench-" + feed.name().toLowerCase(java.util.Locale.ROOT);
            kafka.createTopics(BenchKafka.INPUT_PARTITIONS, List.of(topic));
            kafka.preload(
                    topic, BenchKafka.scenario(feed, settings.events(), CARDS), settings.events());
            topics.put(feed, topic);
            baselines.put(feed, baseline(kafka, topic, feed));
        }
        Map<Feed, Baseline> latest = new EnumMap<>(baselines);
        List<Row> rows = new ArrayList<>();
        Path profile = null;
        int cores = Runtime.getRuntime().availableProcessors();
        for (BenchJob job : jobs) {
            Feed feed = job.kind().feed;
            for (int parallelism : settings.parallelisms()) {
                // The profile: the first fraud run at parallelism 1, where one core does it all.
                Path jfr = null;
                if (settings.profile()
                        && profile == null
                        && job.kind() == BenchJobs.Kind.FRAUD
                        && parallelism == 1) {
                    jfr = settings.out().resolve("profile-" + job.name() + "-p1.jfr");
                    profile = jfr;
                }
                var run =
                        runs.prepare(
                                job,
                                "throughput-" + job.name() + "-p" + parallelism,
                                topics.get(feed),
                                parallelism,
                                null);
                long events = baselines.get(feed).records();
                Baseline before = latest.get(feed);
                JobResult result;
                try {
                    result = runs.bounded(run, events, jfr);
                } catch (Exception e) {
                    Progress.say("  %s failed: %s", run.name, e);
                    failures.add("throughput " + run.name + ": " + e);
                    continue;
                } finally {
                    // Also after a failed run: the next job's baseline before is right before it.
                    latest.put(feed, baseline(kafka, topics.get(feed), feed));
                }
                Baseline after = latest.get(feed);
                rows.add(
                        new Row(
                                job,
                                feed,
                                parallelism,
                                events,
                                result.netRuntimeMillis() / 1000.0,
                                Math.min(parallelism, cores),
                                result,
                                before,
                                after));
            }
        }
        return new Result(baselines, rows, profile);
    }

    private static Baseline baseline(BenchKafka kafka, String topic, Feed feed) {
        Baseline baseline = kafka.baseline(topic, BenchKafka.codec(feed));
        Progress.say(
                "  baseline %s: %,d records (%,d valid) in %.1f s: %,.0f records/s"
                        + " (sustained %,d)",
                topic,
                baseline.records(),
                baseline.valid(),
                baseline.seconds(),
                baseline.perSecond(),
                baseline.sustainedPerSecond());
        return baseline;
    }

    private ThroughputSection() {}
}
