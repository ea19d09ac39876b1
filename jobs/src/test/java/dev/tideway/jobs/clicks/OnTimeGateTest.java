package dev.tideway.jobs.clicks;

import static dev.tideway.jobs.clicks.Clicks.at;
import static dev.tideway.jobs.clicks.Clicks.send;
import static dev.tideway.jobs.clicks.Clicks.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.ClickEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class OnTimeGateTest {

    @Test
    void clicksAtOrBehindTheWatermarkAreLateAndNothingIsKept() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OnTimeGate(ClickstreamJob.LATE_CLICKS)),
                        (ClickEvent c) -> c.userId,
                        Types.STRING)) {
            h.open();
            h.processWatermark(at(1000));
            send(
                    h,
                    view("behind", "u1", "/", at(999)),
                    view("at", "u1", "/", at(1000)),
                    view("ahead", "u2", "/", at(1001)));

            assertThat(h.extractOutputValues()).extracting(c -> c.eventId).containsExactly("ahead");
            assertThat(h.getSideOutput(ClickstreamJob.LATE_CLICKS))
                    .extracting(r -> r.getValue().eventId)
                    .containsExactly("behind", "at");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
