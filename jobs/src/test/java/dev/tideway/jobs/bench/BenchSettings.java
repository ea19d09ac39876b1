package dev.tideway.jobs.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one run of {@code scripts/bench} measures and how big: the full run's sizes by default,
 * {@link #quick()} for a run of a minute or two that only proves the harness works.
 *
 * @param events records preloaded per feed for the throughput runs
 * @param jobs names of the jobs (and fraud variants) measured for throughput, see {@link BenchJobs}
 * @param parallelisms of every throughput run
 * @param rates generator rates of the latency runs, events/s, run in this order in one job run
 * @param phase how long the generator holds each rate
 * @param latencyModes delivery and profile combinations of the latency runs
 * @param recoveryRate generator rate of the recovery run, events/s
 * @param recoveryBeforeFailure steady running before the failure is injected
 * @param cards distinct cards of the state-scale runs
 * @param stateEvents records per state-scale run
 * @param engineEvents records of the engine comparison's topic (rules engine against flink-cep)
 * @param checkpointInterval overrides config.yaml's interval for bounded runs; null keeps it
 * @param profile records the fraud job's throughput run with JFR and summarises it
 * @param out results folder of this run
 */
public record BenchSettings(
        Set<Section> sections,
        long events,
        List<String> jobs,
        List<Integer> parallelisms,
        List<Integer> rates,
        Duration phase,
        List<LatencyMode> latencyModes,
        int recoveryRate,
        Duration recoveryBeforeFailure,
        List<Integer> cards,
        long stateEvents,
        long engineEvents,
        String checkpointInterval,
        boolean profile,
        boolean quick,
        Path out) {

    /** The parts of a run; {@code --only} picks some. */
    public enum Section {
        THROUGHPUT,
        LATENCY,
        RECOVERY,
        STATE,
        ENGINES
    }

    public static final String USAGE =
            "usage: scripts/bench [--quick] [--events N (5000000)] [--profile]"
                    + " [--only throughput,latency,recovery,state,engines] [--jobs fraud,fraud-cep,sensors,clicks,archive,sensors-cep,clicks-cep]"
                    + " [--parallelisms 1,2] [--rates 1000,10000,50000] [--phase-seconds S (60)]"
                    + " [--cards 10000,1000000,10000000] [--state-events N (= --events)]"
                    + " [--engine-events N (10000)]"
                    + " [--out DIR]\n"
                    + "       scripts/bench jmh [JMH options]\n"
                    + "       scripts/bench lake [--rate R] [--seconds S] [--checkpoint-ms C]";

    /** The full run: issue 6's sizes. About an hour or more on 2 cores, see BENCHMARKS.md. */
    public static BenchSettings full(Path out) {
        return new BenchSettings(
                EnumSet.allOf(Section.class),
                5_000_000,
                BenchJobs.defaultNames(),
                List.of(1, 2),
                List.of(1_000, 10_000, 50_000),
                Duration.ofSeconds(60),
                List.of(LatencyMode.values()),
                10_000,
                Duration.ofSeconds(30),
                List.of(10_000, 1_000_000, 10_000_000),
                5_000_000,
                // flink-cep's end of input (a RocksDB seek per key and timer) took over 44 min for
                // 100,000 events on 100,000 cards; 10,000 keep the section to minutes.
                10_000,
                null,
                false,
                false,
                out);
    }

    /**
     * Small sizes, parallelism 1 only, short phases and 1 s checkpoints (instead of config.yaml's
     * 10 s, which would dominate runs this short): proves that every figure and chart is produced,
     * not how fast anything is.
     */
    public static BenchSettings quick(Path out) {
        return new BenchSettings(
                EnumSet.allOf(Section.class),
                10_000,
                BenchJobs.defaultNames(),
                List.of(1),
                List.of(200, 1_000),
                Duration.ofSeconds(4),
                List.of(
                        LatencyMode.EXACTLY_ONCE_LOW_LATENCY,
                        LatencyMode.AT_LEAST_ONCE_LOW_LATENCY),
                1_000,
                Duration.ofSeconds(4),
                List.of(100, 10_000),
                5_000,
                2_000,
                "1s",
                false,
                true,
                out);
    }

    /** Parses the command line of {@code scripts/bench}; fails with the usage line. */
    public static BenchSettings parse(String[] args, Path defaultOut) {
        boolean quick = Arrays.asList(args).contains("--quick");
        BenchSettings s = quick ? quick(defaultOut) : full(defaultOut);
        boolean stateEventsSet = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                continue;
            }
            if (arg.equals("--profile")) {
                s = s.with(b -> b.profile = true);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value of " + arg + "\n" + USAGE);
            }
            String value = args[++i];
            switch (arg) {
                case "--events" -> {
                    long events = number(value);
                    s = s.with(b -> b.events = events);
                }
                case "--state-events" -> {
                    long events = number(value);
                    stateEventsSet = true;
                    s = s.with(b -> b.stateEvents = events);
                }
                case "--only" ->
                        s =
                                s.with(
                                        b -> {
                                            b.sections = EnumSet.noneOf(Section.class);
                                            for (String name : value.split(",")) {
                                                b.sections.add(
                                                        Section.valueOf(
                                                                name.strip()
                                                                        .toUpperCase(
                                                                                java.util.Locale
                                                                                        .ROOT)));
                                            }
                                        });
                case "--jobs" -> {
                    List<String> jobs = List.of(value.split(","));
                    jobs.forEach(BenchJobs::check);
                    s = s.with(b -> b.jobs = jobs);
                }
                case "--parallelisms" -> {
                    List<Integer> parallelisms = ints(value);
                    s = s.with(b -> b.parallelisms = parallelisms);
                }
                case "--rates" -> {
                    List<Integer> rates = ints(value);
                    s = s.with(b -> b.rates = rates);
                }
                case "--engine-events" -> {
                    long events = number(value);
                    s = s.with(b -> b.engineEvents = events);
                }
                case "--cards" -> {
                    List<Integer> cards = ints(value);
                    s = s.with(b -> b.cards = cards);
                }
                case "--phase-seconds" -> {
                    Duration phase = Duration.ofSeconds(number(value));
                    s = s.with(b -> b.phase = phase);
                }
                case "--out" -> {
                    Path out = Path.of(value);
                    s = s.with(b -> b.out = out);
                }
                default -> throw new IllegalArgumentException("unknown " + arg + "\n" + USAGE);
            }
        }
        if (!stateEventsSet && !quick) {
            long events = s.events;
            s = s.with(b -> b.stateEvents = events);
        }
        return s;
    }

    public boolean runs(Section section) {
        return sections.contains(section);
    }

    /** A copy with some settings changed (tests use it to shrink or redirect a run). */
    public BenchSettings with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The mutable form of the settings, for {@link #with}. */
    public static final class Builder {
        public Set<Section> sections;
        public long events;
        public List<String> jobs;
        public List<Integer> parallelisms;
        public List<Integer> rates;
        public Duration phase;
        public List<LatencyMode> latencyModes;
        public int recoveryRate;
        public Duration recoveryBeforeFailure;
        public List<Integer> cards;
        public long stateEvents;
        public long engineEvents;
        public String checkpointInterval;
        public boolean profile;
        public boolean quick;
        public Path out;

        Builder(BenchSettings s) {
            sections = EnumSet.copyOf(s.sections);
            events = s.events;
            jobs = s.jobs;
            parallelisms = s.parallelisms;
            rates = s.rates;
            phase = s.phase;
            latencyModes = s.latencyModes;
            recoveryRate = s.recoveryRate;
            recoveryBeforeFailure = s.recoveryBeforeFailure;
            cards = s.cards;
            stateEvents = s.stateEvents;
            engineEvents = s.engineEvents;
            checkpointInterval = s.checkpointInterval;
            profile = s.profile;
            quick = s.quick;
            out = s.out;
        }

        BenchSettings build() {
            return new BenchSettings(
                    sections,
                    events,
                    jobs,
                    parallelisms,
                    rates,
                    phase,
                    latencyModes,
                    recoveryRate,
                    recoveryBeforeFailure,
                    cards,
                    stateEvents,
                    engineEvents,
                    checkpointInterval,
                    profile,
                    quick,
                    out);
        }
    }

    private static long number(String value) {
        return Long.parseLong(value.replace("_", "").replace(",", ""));
    }

    private static List<Integer> ints(String value) {
        return Arrays.stream(value.split(","))
                .map(v -> Integer.parseInt(v.strip().replace("_", "")))
                .toList();
    }
}
