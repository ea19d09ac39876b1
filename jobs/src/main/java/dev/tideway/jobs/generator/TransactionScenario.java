package dev.tideway.jobs.generator;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.jobs.fraud.CardRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic card traffic as a pure function of (seed, record index), so that a test can recompute
 * exactly which frauds and which bad records a run contains. Records come in blocks of {@value
 * #BLOCK}: a block holds clean transactions (some malformed, some out of order), or one injected
 * fraud on a card of its own plus clean fillers.
 *
 * <p>Clean traffic never matches a rule: amounts lie strictly between the card-testing thresholds,
 * a card stays within a few km of its home, and clean transactions are approved.
 */
public final class TransactionScenario implements Scenario {
    public static final int BLOCK = 8;

    /** Kinds of bad record the generator injects, each rejected for its own reason. */
    public enum Malformed {
        TRUNCATED_JSON,
        AMOUNT_AS_TEXT,
        MISSING_CARD_ID,
        NEGATIVE_AMOUNT,
        NAN_AMOUNT,
        HUGE_AMOUNT,
        UNKNOWN_CURRENCY,
        YEAR_AHEAD,
        EMPTY_PAYLOAD,
        NULL_KEY,
        RANDOM_BYTES,
        WRONG_SCHEMA_VERSION,
        DUPLICATED_FIELD,
        DEEPLY_NESTED
    }

    private enum FraudKind {
        CARD_TESTING,
        DECLINED_BURST,
        IMPOSSIBLE_TRAVEL
    }

    private final long seed;
    private final long count;
    private final int cards;
    private final double fraudRatio;
    private final double outOfOrderRatio;
    private final long maxDelayMillis;
    private final double malformedRatio;
    private final int declinesPerBurst;
    private final long startMillis;
    private final double millisPerRecord;
    private final CardTransactionCodec codec = new CardTransactionCodec();

    /**
     * The block of the last record asked for: records are read in index order, and building a block
     * encodes all eight of its records, so without it every record cost eight encodings.
     */
    private transient volatile Block cached;

    /**
     * @param count records in the run, 0 for unbounded; a fraud is only injected in a block that
     *     fits completely, so every injected fraud is complete
     */
    public TransactionScenario(
            long seed,
            long count,
            int cards,
            double fraudRatio,
            double outOfOrderRatio,
            Duration maxDelay,
            double malformedRatio,
            int declinesPerBurst,
            Instant start,
            double recordsPerSecond) {
        if (declinesPerBurst < 2 || declinesPerBurst > BLOCK) {
            throw new IllegalArgumentException(
                    GeneratorOptions.DECLINES_PER_BURST.key() + " must be in [2, " + BLOCK + "]");
        }
        if (cards < 1) {
            throw new IllegalArgumentException(GeneratorOptions.CARDS.key() + " must be >= 1");
        }
        this.seed = seed;
        this.count = count;
        this.cards = cards;
        this.fraudRatio = fraudRatio;
        this.outOfOrderRatio = outOfOrderRatio;
        this.maxDelayMillis = maxDelay.toMillis();
        this.malformedRatio = malformedRatio;
        this.declinesPerBurst = declinesPerBurst;
        this.startMillis = start.toEpochMilli();
        this.millisPerRecord = recordsPerSecond > 0 ? 1000.0 / recordsPerSecond : 1.0;
    }

    /** The record at this index of the run. */
    public GeneratedRecord record(long index) {
        long b = index / BLOCK;
        Block block = cached;
        if (block == null || block.number != b) {
            block = block(b);
            cached = block;
        }
        return block.records.get((int) (index % BLOCK));
    }

    /** Every fraud injected among the first {@code n} records, with the alert it must cause. */
    public List<InjectedFraud> injectedFrauds(long n) {
        List<InjectedFraud> frauds = new ArrayList<>();
        for (long b = 0; (b + 1) * BLOCK <= n; b++) {
            InjectedFraud fraud = block(b).fraud;
            if (fraud != null) {
                frauds.add(fraud);
            }
        }
        return frauds;
    }

    /** How many of the first {@code n} records are malformed or invalid. */
    public long malformedCount(long n) {
        long malformed = 0;
        for (long i = 0; i < n; i++) {
            if (block(i / BLOCK).malformed[(int) (i % BLOCK)] != null) {
                malformed++;
            }
        }
        return malformed;
    }

    /** The kind of bad record at this index, or null for a valid one. */
    public Malformed malformedAt(long index) {
        return block(index / BLOCK).malformed[(int) (index % BLOCK)];
    }

    private static final class Block {
        long number;
        final List<GeneratedRecord> records = new ArrayList<>(BLOCK);
        final Malformed[] malformed = new Malformed[BLOCK];
        InjectedFraud fraud;
    }

    private Block block(long b) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
        Block block = new Block();
        block.number = b;
        List<CardTransaction> fraudEvents = new ArrayList<>();
        boolean complete = count <= 0 || (b + 1) * BLOCK <= count;
        if (complete && random.nextDouble() < fraudRatio) {
            block.fraud = injectFraud(b, random, fraudEvents);
            if (random.nextDouble() < outOfOrderRatio) {
                // Arrival order reversed, event times kept: the rules must sort by event time.
                java.util.Collections.reverse(fraudEvents);
            }
        }
        for (int slot = 0; slot < BLOCK; slot++) {
            long index = b * BLOCK + slot;
            if (slot < fraudEvents.size()) {
                CardTransaction tx = fraudEvents.get(slot);
                block.records.add(new GeneratedRecord(key(tx.cardId), codec.encode(tx)));
                continue;
            }
            CardTransaction tx = cleanTransaction(index, random);
            if (random.nextDouble() < malformedRatio) {
                Malformed kind = Malformed.values()[random.nextInt(Malformed.values().length)];
                block.malformed[slot] = kind;
                block.records.add(malformed(kind, tx, random));
            } else {
                block.records.add(new GeneratedRecord(key(tx.cardId), codec.encode(tx)));
            }
        }
        return block;
    }

    private InjectedFraud injectFraud(long b, SplittableRandom random, List<CardTransaction> out) {
        FraudKind kind = FraudKind.values()[random.nextInt(FraudKind.values().length)];
        String card = "fraud-card-" + b;
        double lat = homeLatitude(random);
        double lon = homeLongitude(random);
        long first = b * BLOCK;
        switch (kind) {
            case CARD_TESTING:
                out.add(tx(first, card, amount(random, 50, 199), lat, lon, false));
                out.add(tx(first + 1, card, amount(random, 50_000, 200_000), lat, lon, false));
                break;
            case DECLINED_BURST:
                for (int i = 0; i < declinesPerBurst; i++) {
                    out.add(tx(first + i, card, amount(random, 500, 48_000), lat, lon, true));
                }
                break;
            case IMPOSSIBLE_TRAVEL:
            default:
                out.add(tx(first, card, amount(random, 500, 48_000), lat, lon, false));
                // The other side of the world, moments later.
                double farLat = -lat;
                double farLon = lon > 0 ? lon - 180 : lon + 180;
                out.add(tx(first + 1, card, amount(random, 500, 48_000), farLat, farLon, false));
                break;
        }
        String rule =
                switch (kind) {
                    case CARD_TESTING -> CardRules.CARD_TESTING;
                    case DECLINED_BURST -> CardRules.DECLINED_BURST;
                    case IMPOSSIBLE_TRAVEL -> CardRules.IMPOSSIBLE_TRAVEL;
                };
        return new InjectedFraud(rule, card, out.stream().map(t -> t.eventId).toList());
    }

    private CardTransaction tx(
            long index, String card, BigDecimal amount, double lat, double lon, boolean declined) {
        return new CardTransaction(
                "tx-" + index,
                card,
                "acct-" + card,
                "merchant-" + (index % 500),
                amount,
                "EUR",
                lat,
                lon,
                declined ? AuthorizationResult.DECLINED : AuthorizationResult.APPROVED,
                eventTime(index));
    }

    private CardTransaction cleanTransaction(long index, SplittableRandom random) {
        int card = random.nextInt(cards);
        SplittableRandom home = new SplittableRandom(seed ^ (card * 0xC2B2AE3D27D4EB4FL));
        double lat = homeLatitude(home) + (random.nextDouble() - 0.5) * 0.1;
        double lon = homeLongitude(home) + (random.nextDouble() - 0.5) * 0.1;
        long time = eventTime(index);
        if (random.nextDouble() < outOfOrderRatio) {
            time -= random.nextLong(maxDelayMillis + 1);
        }
        return new CardTransaction(
                "tx-" + index,
                "card-" + card,
                "acct-" + (card / 2),
                "merchant-" + random.nextInt(500),
                // Strictly between the card-testing thresholds (2.00 and 500.00 by default).
                amount(random, 500, 48_000),
                new String[] {"EUR", "USD", "GBP"}[card % 3],
                lat,
                lon,
                AuthorizationResult.APPROVED,
                time);
    }

    private GeneratedRecord malformed(Malformed kind, CardTransaction tx, SplittableRandom random) {
        String json = new String(codec.encode(tx), StandardCharsets.UTF_8);
        String amount = "\"amount\":" + tx.amount.toPlainString();
        byte[] key = key(tx.cardId);
        String broken =
                switch (kind) {
                    case TRUNCATED_JSON -> json.substring(0, json.length() / 2);
                    case AMOUNT_AS_TEXT -> json.replace(amount, "\"amount\":\"" + tx.amount + "\"");
                    case MISSING_CARD_ID -> json.replace("\"cardId\":\"" + tx.cardId + "\",", "");
                    case NEGATIVE_AMOUNT -> json.replace(amount, "\"amount\":-" + tx.amount);
                    case NAN_AMOUNT -> json.replace(amount, "\"amount\":\"NaN\"");
                    case HUGE_AMOUNT -> json.replace(amount, "\"amount\":1e308");
                    case UNKNOWN_CURRENCY ->
                            json.replace(
                                    "\"currency\":\"" + tx.currency + "\"", "\"currency\":\"ZZZ\"");
                    case YEAR_AHEAD ->
                            json.replace(
                                    Instant.ofEpochMilli(tx.eventTime).toString(),
                                    Instant.ofEpochMilli(tx.eventTime)
                                            .plus(Duration.ofDays(365))
                                            .toString());
                    case EMPTY_PAYLOAD -> "";
                    case NULL_KEY -> json;
                    case RANDOM_BYTES -> null;
                    case WRONG_SCHEMA_VERSION ->
                            json.replace("\"schemaVersion\":1", "\"schemaVersion\":99");
                    case DUPLICATED_FIELD ->
                            json.replace(amount, amount + ",\"amount\":" + tx.amount);
                    case DEEPLY_NESTED ->
                            json.replace(
                                    "\"merchant\":\"" + tx.merchant + "\"",
                                    "\"merchant\":" + "[".repeat(50) + "]".repeat(50));
                };
        if (kind == Malformed.RANDOM_BYTES) {
            byte[] bytes = new byte[16 + random.nextInt(64)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (0x80 | random.nextInt(0x80)); // never valid UTF-8 text
            }
            return new GeneratedRecord(key, bytes);
        }
        return new GeneratedRecord(
                kind == Malformed.NULL_KEY ? null : key, broken.getBytes(StandardCharsets.UTF_8));
    }

    private long eventTime(long index) {
        return startMillis + (long) (index * millisPerRecord);
    }

    private static BigDecimal amount(SplittableRandom random, int minCents, int maxCents) {
        return BigDecimal.valueOf(minCents + random.nextInt(maxCents - minCents), 2);
    }

    private static double homeLatitude(SplittableRandom random) {
        return -40 + random.nextDouble() * 95;
    }

    private static double homeLongitude(SplittableRandom random) {
        return -120 + random.nextDouble() * 250;
    }

    private static byte[] key(String cardId) {
        return cardId.getBytes(StandardCharsets.UTF_8);
    }
}
