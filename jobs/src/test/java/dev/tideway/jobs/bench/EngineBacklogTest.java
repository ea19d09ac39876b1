package dev.tideway.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class EngineBacklogTest {

    @Test
    void summarizesTheMiddleOfTheInputOnly() {
        EngineBacklog backlog = new EngineBacklog();
        // Start and end (below 10 %, above 90 % of the 1,000 records read): left out.
        backlog.sample(50, 900_000, 500_000);
        backlog.sample(200, 20_000, 12_000);
        backlog.sample(500, 60_000, 70_000);
        backlog.sample(800, 40_000, 31_000);
        backlog.sample(1000, 0, 0);
        assertEquals(
                "engine backlog (events waiting for the watermark; event time from the watermark"
                        + " to the newest of them): at the window's start 20,000, 12.0 s; median"
                        + " 40,000, 31.0 s; peak 60,000, 70.0 s; at its end 40,000, 31.0 s",
                backlog.summary());
    }

    @Test
    void saysNothingForAJobWithoutAnEngine() {
        EngineBacklog backlog = new EngineBacklog();
        backlog.sample(500, 0, 0);
        assertNull(backlog.summary());
    }
}
