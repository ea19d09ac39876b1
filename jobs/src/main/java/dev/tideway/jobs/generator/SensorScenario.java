package dev.tideway.jobs.generator;

import dev.tideway.common.codec.SensorReadingCodec;
import dev.tideway.common.model.SensorReading;
import dev.tideway.jobs.sensors.JumpRule;
import dev.tideway.jobs.sensors.SilenceRule;
import dev.tideway.jobs.sensors.ThresholdRule;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Sensor readings as a pure function of (seed, record index), so that a test can recompute exactly
 * which anomalies a run contains. Every sensor reports once per round ({@code period} of event
 * time); rounds come in epochs of {@link #epochRounds()} rounds. In an epoch a sensor may carry one
 * injected anomaly: a threshold run ({@code thresholdCount} consecutive readings just above its
 * metric's limit) or a jump (one reading dropping to 15-25% of its level); every {@code
 * silenceEvery}-th epoch one sensor falls silent for longer than the silence timeout and then
 * reports again. Records are keyed by sensor id.
 *
 * <p>Clean traffic never trips a rule (with the job's default jump factor 0.5 and jump readings at
 * most {@link #MARGIN}): a sensor's level lies between 75% and 90% of its metric's limit and varies
 * by at most 1% per reading; consecutive readings are at most {@code period + maxDelay} apart, less
 * than the silence timeout. Anomalies lie {@link #MARGIN} rounds clear of an epoch's edges, and an
 * anomalous sensor's readings in its epoch are never delayed, so out-of-order clean readings
 * (delayed by at most {@code maxDelay}) never fall between the readings of an anomaly.
 */
public final class SensorScenario implements Scenario {

    /** Rounds at each edge of an epoch that carry no anomaly. */
    public static final int MARGIN = 10;

    private static final int MIN_EPOCH_ROUNDS = 40;

    /** What a sensor measures, and in which unit. */
    public record Metric(String name, String unit) implements Serializable {}

    /** The metrics of the generated sensors, in the order sensors are assigned to them. */
    public static final List<Metric> METRICS =
            List.of(
                    new Metric("temperature", "celsius"),
                    new Metric("pressure", "kPa"),
                    new Metric("humidity", "percent"),
                    new Metric("vibration", "mm/s"));

    /**
     * An anomaly the generator injected, and the alert it must cause.
     *
     * @param rule the alert's rule: threshold, jump, silence or recovered
     * @param sensorId the alert's key
     * @param evidence the reading ids the alert must name, in event-time order
     */
    public record Injected(String rule, String sensorId, List<String> evidence)
            implements Serializable {}

    private enum Kind {
        THRESHOLD,
        JUMP
    }

    private final long seed;
    private final long count;
    private final int sensorsPerSite;
    private final int sensors;
    private final long periodMillis;
    private final double anomalyRatio;
    private final int silenceEvery;
    private final int thresholdCount;
    private final int silentRounds;
    private final double outOfOrderRatio;
    private final long maxDelayMillis;
    private final long startMillis;
    private final TreeMap<String, Double> thresholds;
    private final int epochRounds;
    private final long epochRecords;
    private final SensorReadingCodec codec = new SensorReadingCodec();
    private transient volatile Epoch cached;

    /**
     * @param count records in the run, 0 for unbounded; anomalies are only injected in epochs that
     *     fit completely, so every injected anomaly is complete
     * @param period event time between two readings of one sensor
     * @param anomalyRatio chance that a sensor carries a threshold run or a jump in an epoch
     * @param silenceEvery every this many epochs one sensor falls silent and recovers; 0 never
     * @param thresholdCount readings in a threshold run; match the job's threshold count
     * @param silenceTimeout the job's silence timeout: silences are made longer than it
     * @param thresholds limit per metric, the job's threshold limits; every metric needs one
     */
    public SensorScenario(
            long seed,
            long count,
            int sites,
            int sensorsPerSite,
            Duration period,
            double anomalyRatio,
            int silenceEvery,
            int thresholdCount,
            Duration silenceTimeout,
            double outOfOrderRatio,
            Duration maxDelay,
            Instant start,
            Map<String, Double> thresholds) {
        if (sites < 1 || sensorsPerSite < 1) {
            throw new IllegalArgumentException("sites and sensors per site must be >= 1");
        }
        if (period.toMillis() < 1 || silenceEvery < 0 || thresholdCount < 1) {
            throw new IllegalArgumentException(
                    "period must be >= 1 ms, silenceEvery >= 0 and thresholdCount >= 1");
        }
        if (maxDelay.isNegative() || maxDelay.toMillis() >= MARGIN * period.toMillis()) {
            throw new IllegalArgumentException(
                    "maxDelay must be in [0, " + MARGIN + " periods), was " + maxDelay);
        }
        if (period.plus(maxDelay).compareTo(silenceTimeout) >= 0) {
            throw new IllegalArgumentException(
                    "period + maxDelay must be shorter than the silence timeout ("
                            + silenceTimeout
                            + "), or clean sensors look silent");
        }
        for (Metric m : METRICS) {
            Double limit = thresholds.get(m.name());
            if (limit == null || !(limit > 0)) {
                throw new IllegalArgumentException("no positive threshold for " + m.name());
            }
        }
        this.seed = seed;
        this.count = count;
        this.sensorsPerSite = sensorsPerSite;
        this.sensors = sites * sensorsPerSite;
        this.periodMillis = period.toMillis();
        this.anomalyRatio = anomalyRatio;
        this.silenceEvery = silenceEvery;
        this.thresholdCount = thresholdCount;
        // (silentRounds + 1) periods between the last reading and the next: more than the timeout.
        this.silentRounds = (int) (silenceTimeout.toMillis() / periodMillis) + 1;
        this.outOfOrderRatio = outOfOrderRatio;
        this.maxDelayMillis = maxDelay.toMillis();
        this.startMillis = start.toEpochMilli();
        this.thresholds = new TreeMap<>(thresholds);
        this.epochRounds =
                Math.max(MIN_EPOCH_ROUNDS, 2 * MARGIN + Math.max(silentRounds, thresholdCount) + 2);
        this.epochRecords = (long) epochRounds * sensors;
    }

    /** The record at this index of the run. */
    public GeneratedRecord record(long index) {
        Epoch epoch = epoch(epochOf(index));
        return epoch.records.get((int) (index - epoch.offset));
    }

    /** Every anomaly injected among the first {@code n} records, with the alert it must cause. */
    public List<Injected> injectedAnomalies(long n) {
        List<Injected> injected = new ArrayList<>();
        for (long e = 0; offset(e + 1) <= n; e++) {
            injected.addAll(epoch(e).injected);
        }
        return injected;
    }

    /** Rounds per epoch. */
    public int epochRounds() {
        return epochRounds;
    }

    /** Number of distinct sensors. */
    public int sensors() {
        return sensors;
    }

    /** Event time of the first round. */
    public long startMillis() {
        return startMillis;
    }

    private boolean silentEpoch(long e) {
        return silenceEvery > 0 && e % silenceEvery == silenceEvery - 1;
    }

    /** Index of the first record of epoch e: silent epochs are {@code silentRounds} shorter. */
    private long offset(long e) {
        long silentBefore = silenceEvery > 0 ? e / silenceEvery : 0;
        return e * epochRecords - silentBefore * silentRounds;
    }

    private long epochOf(long index) {
        if (silenceEvery == 0) {
            return index / epochRecords;
        }
        long group = silenceEvery * epochRecords - silentRounds;
        long e = index / group * silenceEvery;
        return e + Math.min(silenceEvery - 1, (index % group) / epochRecords);
    }

    private static final class Epoch {
        long number;
        long offset;
        final List<GeneratedRecord> records = new ArrayList<>();
        final List<Injected> injected = new ArrayList<>();
    }

    private Epoch epoch(long e) {
        Epoch epoch = cached;
        if (epoch == null || epoch.number != e) {
            epoch = build(e);
            cached = epoch;
        }
        return epoch;
    }

    private Epoch build(long e) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
        Epoch epoch = new Epoch();
        epoch.number = e;
        epoch.offset = offset(e);
        boolean complete = count <= 0 || offset(e + 1) <= count;
        int silent = -1;
        int silentFrom = -1;
        // The last, cut-off epoch of a bounded run has no silence either: it could end in one. Its
        // size then differs from offset()'s, which is harmless: no later record is ever asked for.
        if (silentEpoch(e) && complete) {
            silent = random.nextInt(sensors);
            silentFrom = MARGIN + random.nextInt(epochRounds - 2 * MARGIN - silentRounds + 1);
        }
        Kind[] kinds = new Kind[sensors];
        int[] from = new int[sensors];
        for (int s = 0; s < sensors; s++) {
            if (complete && s != silent && random.nextDouble() < anomalyRatio) {
                kinds[s] = random.nextBoolean() ? Kind.THRESHOLD : Kind.JUMP;
                int length = kinds[s] == Kind.THRESHOLD ? thresholdCount : 1;
                from[s] = MARGIN + random.nextInt(epochRounds - 2 * MARGIN - length + 1);
            }
        }
        List<String> thresholdRun = new ArrayList<>();
        String lastBeforeSilence = null;
        long index = epoch.offset;
        for (int round = 0; round < epochRounds; round++) {
            for (int s = 0; s < sensors; s++) {
                if (s == silent && round >= silentFrom && round < silentFrom + silentRounds) {
                    continue;
                }
                String eventId = "r-" + index;
                Metric metric = metricOf(s);
                double limit = thresholds.get(metric.name());
                int inEpisode = kinds[s] == null ? -1 : round - from[s];
                double value;
                if (kinds[s] == Kind.THRESHOLD && inEpisode >= 0 && inEpisode < thresholdCount) {
                    value = limit * (1.02 + 0.03 * random.nextDouble());
                    thresholdRun.add(eventId);
                    if (thresholdRun.size() == thresholdCount) {
                        epoch.injected.add(
                                new Injected(
                                        ThresholdRule.NAME,
                                        sensorId(s),
                                        List.copyOf(thresholdRun)));
                        thresholdRun.clear();
                    }
                } else if (kinds[s] == Kind.JUMP && inEpisode == 0) {
                    value = baseline(s) * (0.15 + 0.1 * random.nextDouble());
                    epoch.injected.add(new Injected(JumpRule.NAME, sensorId(s), List.of(eventId)));
                } else {
                    value = baseline(s) * (1 + 0.01 * (2 * random.nextDouble() - 1));
                }
                if (s == silent && round == silentFrom - 1) {
                    lastBeforeSilence = eventId;
                }
                if (s == silent && round == silentFrom + silentRounds) {
                    epoch.injected.add(
                            new Injected(
                                    SilenceRule.SILENCE, sensorId(s), List.of(lastBeforeSilence)));
                    epoch.injected.add(
                            new Injected(SilenceRule.RECOVERED, sensorId(s), List.of(eventId)));
                }
                long time =
                        startMillis
                                + (e * epochRounds + round) * periodMillis
                                + s * periodMillis / sensors;
                boolean anomalous = kinds[s] != null || s == silent;
                if (random.nextDouble() < outOfOrderRatio && !anomalous) {
                    time -= random.nextLong(maxDelayMillis + 1);
                }
                SensorReading reading =
                        new SensorReading(
                                eventId,
                                sensorId(s),
                                siteOf(s),
                                metric.name(),
                                Math.round(value * 1000) / 1000.0,
                                metric.unit(),
                                time);
                epoch.records.add(
                        new GeneratedRecord(
                                reading.sensorId.getBytes(StandardCharsets.UTF_8),
                                codec.encode(reading)));
                index++;
            }
        }
        if (!complete) {
            epoch.injected.clear();
        }
        return epoch;
    }

    private String sensorId(int s) {
        return String.format("sensor-%d-%03d", s / sensorsPerSite, s % sensorsPerSite);
    }

    private String siteOf(int s) {
        return "site-" + (s / sensorsPerSite);
    }

    private static Metric metricOf(int s) {
        return METRICS.get(s % METRICS.size());
    }

    /** A sensor's level: 75% to 90% of its metric's limit, fixed per sensor and seed. */
    private double baseline(int s) {
        double limit = thresholds.get(metricOf(s).name());
        return limit
                * (0.75
                        + 0.15
                                * new SplittableRandom(seed ^ (s * 0xC2B2AE3D27D4EB4FL))
                                        .nextDouble());
    }
}
