package dev.tideway.jobs.clicks;

/**
 * How far down the funnel one user got within one window: the first stage of the funnel count, one
 * record per active user and window. A Flink POJO.
 */
public class FurthestStep {
    public long windowStart;
    public long windowEnd;

    /** {@link dev.tideway.common.model.ClickAction#ordinal()} of the furthest step. */
    public int step;

    public FurthestStep() {}

    public FurthestStep(long windowStart, long windowEnd, int step) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.step = step;
    }

    @Override
    public String toString() {
        return "FurthestStep{" + windowStart + ", step=" + step + '}';
    }
}
