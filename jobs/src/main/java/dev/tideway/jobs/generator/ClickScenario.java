package dev.tideway.jobs.generator;

import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Website clicks as a pure function of (seed, record index), so that a test can recompute exactly
 * what a run contains. Records come in blocks of {@value #BLOCK}; a block is one visit of one user:
 *
 * <ul>
 *   <li>browsing: page views only;
 *   <li>a completed purchase: views, one or two add_to_carts, a checkout and a purchase;
 *   <li>an injected abandoned cart: views, one or two add_to_carts, maybe a checkout, no purchase,
 *       by a user of its own ({@code abandoner-<block>}) who never comes back, so each of its
 *       add_to_carts must raise exactly one abandoned-cart alert whatever the timeout.
 * </ul>
 *
 * Browsing and purchasing users come from a pool and return in later blocks; whether two visits of
 * one user form one session depends on the gap, which is why tests sessionize the events
 * themselves. Clean traffic never abandons a cart: every add_to_cart of a pool user is followed by
 * a purchase in the same block. Event times follow the record index ({@code start + index × 1000 /
 * rate} ms); an out-of-order block arrives shuffled, its event times kept, so arrival is never more
 * than {@link #maxDisorder()} behind the newest event, and a cart is always bought after it was
 * added in event time. Purchases and abandoned carts are only placed in blocks that fit completely
 * into the run.
 */
public final class ClickScenario implements Scenario {
    public static final int BLOCK = 8;

    /** An abandoned cart the scenario injected: the alert it must cause names this cart event. */
    public record AbandonedCart(String userId, String cartEventId, long cartTime)
            implements Serializable {}

    /** A completed purchase: carts that must not raise an alert. */
    public record Purchase(String userId, List<String> cartEventIds, String purchaseEventId)
            implements Serializable {}

    private enum Visit {
        BROWSE,
        PURCHASE,
        ABANDON
    }

    private final long seed;
    private final long count;
    private final int users;
    private final double abandonRatio;
    private final double purchaseRatio;
    private final double outOfOrderRatio;
    private final long startMillis;
    private final double millisPerRecord;
    private final ClickEventCodec codec = new ClickEventCodec();

    /**
     * @param count records in the run, 0 for unbounded
     * @param users size of the pool of browsing and purchasing users
     * @param abandonRatio share of blocks that are injected abandoned carts
     * @param purchaseRatio share of blocks that are completed purchases
     * @param outOfOrderRatio share of blocks that arrive shuffled
     * @param recordsPerSecond sets event time per record; 0 means 1 ms per record
     */
    public ClickScenario(
            long seed,
            long count,
            int users,
            double abandonRatio,
            double purchaseRatio,
            double outOfOrderRatio,
            Instant start,
            double recordsPerSecond) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be >= 1, was " + users);
        }
        if (abandonRatio < 0 || purchaseRatio < 0 || abandonRatio + purchaseRatio > 1) {
            throw new IllegalArgumentException(
                    "abandonRatio and purchaseRatio must be >= 0 and add up to at most 1");
        }
        this.seed = seed;
        this.count = count;
        this.users = users;
        this.abandonRatio = abandonRatio;
        this.purchaseRatio = purchaseRatio;
        this.outOfOrderRatio = outOfOrderRatio;
        this.startMillis = start.toEpochMilli();
        this.millisPerRecord = recordsPerSecond > 0 ? 1000.0 / recordsPerSecond : 1.0;
    }

    /** The record at this index of the run, keyed by user id. */
    public GeneratedRecord record(long index) {
        ClickEvent click = click(index);
        return new GeneratedRecord(
                click.userId.getBytes(StandardCharsets.UTF_8), codec.encode(click));
    }

    /** The click at this index of the run (arrival order). */
    public ClickEvent click(long index) {
        return block(index / BLOCK).arrivals.get((int) (index % BLOCK));
    }

    /** The clicks of the first {@code n} records, in arrival order. */
    public List<ClickEvent> clicks(long n) {
        List<ClickEvent> clicks = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            clicks.add(click(i));
        }
        return clicks;
    }

    /** Every add_to_cart injected as abandoned among the first {@code n} records. */
    public List<AbandonedCart> injectedAbandonedCarts(long n) {
        List<AbandonedCart> carts = new ArrayList<>();
        for (long b = 0; (b + 1) * BLOCK <= n; b++) {
            carts.addAll(block(b).abandoned);
        }
        return carts;
    }

    /** Every completed purchase among the first {@code n} records. */
    public List<Purchase> completedPurchases(long n) {
        List<Purchase> purchases = new ArrayList<>();
        for (long b = 0; (b + 1) * BLOCK <= n; b++) {
            Purchase p = block(b).purchase;
            if (p != null) {
                purchases.add(p);
            }
        }
        return purchases;
    }

    /** The most a click arrives behind the newest click before it: under one block's span. */
    public Duration maxDisorder() {
        return Duration.ofMillis((long) Math.ceil((BLOCK - 1) * millisPerRecord));
    }

    private static final class Block {
        final List<ClickEvent> arrivals = new ArrayList<>(BLOCK);
        final List<AbandonedCart> abandoned = new ArrayList<>();
        Purchase purchase;
    }

    private Block block(long b) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
        boolean complete = count <= 0 || (b + 1) * BLOCK <= count;
        double kind = random.nextDouble();
        Visit visit =
                !complete
                        ? Visit.BROWSE
                        : kind < abandonRatio
                                ? Visit.ABANDON
                                : kind < abandonRatio + purchaseRatio
                                        ? Visit.PURCHASE
                                        : Visit.BROWSE;
        String user = visit == Visit.ABANDON ? "abandoner-" + b : "user-" + random.nextInt(users);
        List<ClickAction> actions = actions(visit, random);
        List<ClickEvent> clicks = new ArrayList<>(BLOCK);
        for (int slot = 0; slot < BLOCK; slot++) {
            long index = b * BLOCK + slot;
            ClickAction action = actions.get(slot);
            clicks.add(
                    new ClickEvent(
                            "click-" + index,
                            user,
                            "visit-" + b,
                            page(action, random),
                            action,
                            eventTime(index)));
        }

        Block block = new Block();
        List<String> carts =
                clicks.stream()
                        .filter(c -> c.action == ClickAction.ADD_TO_CART)
                        .map(c -> c.eventId)
                        .toList();
        if (visit == Visit.ABANDON) {
            clicks.stream()
                    .filter(c -> c.action == ClickAction.ADD_TO_CART)
                    .forEach(
                            c ->
                                    block.abandoned.add(
                                            new AbandonedCart(user, c.eventId, c.eventTime)));
        } else if (visit == Visit.PURCHASE) {
            block.purchase = new Purchase(user, carts, clicks.get(BLOCK - 1).eventId);
        }
        block.arrivals.addAll(clicks);
        if (random.nextDouble() < outOfOrderRatio) {
            // Arrival order shuffled, event times kept: the job must sort by event time.
            for (int i = BLOCK - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                block.arrivals.set(i, block.arrivals.set(j, block.arrivals.get(i)));
            }
        }
        return block;
    }

    /** The visit's actions in event-time order, exactly {@value #BLOCK} of them. */
    private static List<ClickAction> actions(Visit visit, SplittableRandom random) {
        List<ClickAction> actions = new ArrayList<>(BLOCK);
        if (visit == Visit.BROWSE) {
            for (int i = 0; i < BLOCK; i++) {
                actions.add(ClickAction.VIEW);
            }
            return actions;
        }
        int views = 1 + random.nextInt(3);
        int carts = 1 + random.nextInt(2);
        for (int i = 0; i < views; i++) {
            actions.add(ClickAction.VIEW);
        }
        for (int i = 0; i < carts; i++) {
            actions.add(ClickAction.ADD_TO_CART);
        }
        if (visit == Visit.PURCHASE) {
            while (actions.size() < BLOCK - 2) {
                actions.add(ClickAction.VIEW);
            }
            actions.add(ClickAction.CHECKOUT);
            actions.add(ClickAction.PURCHASE);
        } else {
            if (random.nextBoolean()) {
                actions.add(ClickAction.CHECKOUT); // left at the checkout
            }
            while (actions.size() < BLOCK) {
                actions.add(ClickAction.VIEW);
            }
        }
        return actions;
    }

    private static String page(ClickAction action, SplittableRandom random) {
        return switch (action) {
            case VIEW ->
                    switch (random.nextInt(4)) {
                        case 0 -> "/";
                        case 1 -> "/search";
                        case 2 -> "/category/" + random.nextInt(10);
                        default -> "/product/" + random.nextInt(50);
                    };
            case ADD_TO_CART -> "/product/" + random.nextInt(50);
            case CHECKOUT -> "/checkout";
            case PURCHASE -> "/checkout/confirmation";
        };
    }

    private long eventTime(long index) {
        return startMillis + (long) (index * millisPerRecord);
    }
}
