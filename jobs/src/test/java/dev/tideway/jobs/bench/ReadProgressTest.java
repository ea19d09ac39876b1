package dev.tideway.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadProgressTest {

    @Test
    void rateLeavesOutASlowStartAndASlowEnd() {
        ReadProgress progress = new ReadProgress();
        // 5 s before the first record, then 100,000 records a second for 10 s, then 8 s idle.
        long t = 0;
        for (; t < 5_000; t += 20) {
            progress.sample(t, 0);
        }
        for (long start = t; t <= start + 10_000; t += 20) {
            progress.sample(t, (t - start) * 100);
        }
        for (long end = t + 8_000; t < end; t += 20) {
            progress.sample(t, 1_000_000);
        }
        assertEquals(100_000, progress.sustainedPerSecond());
    }

    @Test
    void samplesCloserThanThePeriodAreSkipped() {
        ReadProgress progress = new ReadProgress();
        progress.sample(0, 0);
        // Would be the window's start (and the rate a third lower) if it counted.
        progress.sample(ReadProgress.PERIOD_MILLIS - 1, 200_000);
        progress.sample(1_000, 200_000);
        progress.sample(2_000, 1_000_000);
        progress.sample(3_000, 2_000_000);
        assertEquals(900_000, progress.sustainedPerSecond());
    }

    @Test
    void aSmallInputHasNoRate() {
        ReadProgress progress = new ReadProgress();
        progress.sample(0, 0);
        progress.sample(1_000, 5_000);
        progress.sample(2_000, 10_000);
        assertEquals(0, progress.sustainedPerSecond());
    }

    @Test
    void tenthsShowTheRateInEachTenthOfTheInput() {
        ReadProgress progress = new ReadProgress();
        // 100 records a second for the first half, 200 for the second.
        for (long t = 0; t <= 10_000; t += 100) {
            progress.sample(t, t / 10);
        }
        for (long t = 10_100; t <= 15_000; t += 100) {
            progress.sample(t, 1_000 + (t - 10_000) / 5);
        }
        assertEquals(
                "records/s by tenth of the input: 100 100 100 100 100 200 200 200 200 200",
                progress.tenths());
    }
}
