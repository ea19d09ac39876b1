package dev.tideway.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTimesTest {

    @Test
    void averagesEachTaskOverTheMiddleOfTheInputOnly() {
        TaskTimes times = new TaskTimes();
        // Start: idle, left out (below 10 % of the 1,000 records read in the end).
        times.sample(50, Map.of("engine (0)", new long[] {0, 0, 1000}));
        times.sample(200, Map.of("engine (0)", new long[] {800, 0, 200}));
        times.sample(600, Map.of("engine (0)", new long[] {600, 100, 300}));
        // End: the final checkpoint, left out (above 90 %).
        times.sample(1000, Map.of("engine (0)", new long[] {0, 0, 1000}));
        assertEquals(
                "task time (busy / backpressured / idle): engine (0) 70/5/25 %;", times.summary());
    }

    @Test
    void saysWhenTheRunWasTooShort() {
        TaskTimes times = new TaskTimes();
        times.sample(0, Map.of());
        assertEquals("task time: the run was too short", times.summary());
    }
}
