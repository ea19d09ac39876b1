package dev.tideway.jobs.clicks;

import java.util.Objects;

/**
 * The purchase funnel of one event-time window: how many distinct users reached each step. A user
 * counts at every step up to the furthest one they reached within the window (one who purchased
 * also counts as having viewed, added to cart and checked out), so the counts never grow down the
 * funnel and every rate lies in [0, 1]. A rate whose denominator is 0 is 0. A Flink POJO.
 */
public class FunnelCounts {
    /** Window start (inclusive) and end (exclusive), epoch milliseconds. */
    public long windowStart;

    public long windowEnd;

    public long viewed;
    public long addedToCart;
    public long checkedOut;
    public long purchased;

    public double viewToCart;
    public double cartToCheckout;
    public double checkoutToPurchase;
    public double viewToPurchase;

    public FunnelCounts() {}

    /** The counts of a window, with the rates computed from them. */
    public static FunnelCounts of(long windowStart, long windowEnd, long[] usersAtLeastAtStep) {
        FunnelCounts f = new FunnelCounts();
        f.windowStart = windowStart;
        f.windowEnd = windowEnd;
        f.viewed = usersAtLeastAtStep[0];
        f.addedToCart = usersAtLeastAtStep[1];
        f.checkedOut = usersAtLeastAtStep[2];
        f.purchased = usersAtLeastAtStep[3];
        f.viewToCart = rate(f.addedToCart, f.viewed);
        f.cartToCheckout = rate(f.checkedOut, f.addedToCart);
        f.checkoutToPurchase = rate(f.purchased, f.checkedOut);
        f.viewToPurchase = rate(f.purchased, f.viewed);
        return f;
    }

    static double rate(long reached, long from) {
        return from == 0 ? 0.0 : (double) reached / from;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FunnelCounts)) {
            return false;
        }
        FunnelCounts f = (FunnelCounts) o;
        return windowStart == f.windowStart
                && windowEnd == f.windowEnd
                && viewed == f.viewed
                && addedToCart == f.addedToCart
                && checkedOut == f.checkedOut
                && purchased == f.purchased
                && viewToCart == f.viewToCart
                && cartToCheckout == f.cartToCheckout
                && checkoutToPurchase == f.checkoutToPurchase
                && viewToPurchase == f.viewToPurchase;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, windowEnd);
    }

    @Override
    public String toString() {
        return "FunnelCounts{["
                + windowStart
                + ", "
                + windowEnd
                + "), viewed="
                + viewed
                + ", cart="
                + addedToCart
                + ", checkout="
                + checkedOut
                + ", purchased="
                + purchased
                + '}';
    }
}
