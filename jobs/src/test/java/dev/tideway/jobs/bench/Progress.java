package dev.tideway.jobs.bench;

import java.time.Duration;

/** Progress lines of a bench run, stamped with the time since the run began. */
final class Progress {
    private static final long START = System.nanoTime();

    private final long intervalNanos;
    private long next;

    private Progress(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.next = System.nanoTime() + intervalNanos;
    }

    /** A throttle for loops that report as they go. */
    static Progress every(Duration interval) {
        return new Progress(interval);
    }

    /** True at most once per interval. */
    boolean due() {
        long now = System.nanoTime();
        if (now < next) {
            return false;
        }
        next = now + intervalNanos;
        return true;
    }

    static synchronized void say(String format, Object... args) {
        long seconds = (System.nanoTime() - START) / 1_000_000_000L;
        System.out.printf(
                "[%02d:%02d] %s%n", seconds / 60, seconds % 60, String.format(format, args));
        System.out.flush();
    }
}
