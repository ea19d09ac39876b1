package dev.tideway.jobs.clicks;

import static dev.tideway.jobs.clicks.Clicks.at;
import static dev.tideway.jobs.clicks.Clicks.cart;
import static dev.tideway.jobs.clicks.Clicks.checkout;
import static dev.tideway.jobs.clicks.Clicks.min;
import static dev.tideway.jobs.clicks.Clicks.purchase;
import static dev.tideway.jobs.clicks.Clicks.send;
import static dev.tideway.jobs.clicks.Clicks.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.ClickEvent;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The job's session window operator in a harness; gap 10 minutes. */
class SessionsTest {
    private static final ClickRules RULES =
            new ClickRules(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofHours(1));

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickSession>
            harness() throws Exception {
        return Clicks.harness(
                Sessions.summarize(Clicks.users(), RULES),
                (ClickEvent c) -> c.userId,
                Types.STRING);
    }

    private static List<ClickSession> sessions(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickSession> h) {
        return h.extractOutputValues().stream()
                .sorted(Comparator.comparing((ClickSession s) -> s.sessionId))
                .toList();
    }

    @Test
    void clicksAtMostTheGapApartFormOneSessionWhateverTheirArrivalOrder() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    purchase("a5", "alice", at(min(14))),
                    view("a1", "alice", "/", at(0)),
                    checkout("a4", "alice", at(min(13))),
                    // Bridges a1 and a4 when it arrives: two windows merge into one.
                    cart("a3", "alice", at(min(6))),
                    view("a2", "alice", "/product/1", at(min(5))),
                    view("a6", "alice", "/", at(min(25))),
                    view("b1", "bob", "/search", at(min(1))));
            h.processWatermark(at(min(60)));

            List<ClickSession> sessions = sessions(h);
            assertThat(sessions)
                    .extracting(s -> s.sessionId)
                    .containsExactly("alice@" + at(0), "alice@" + at(min(25)), "bob@" + at(min(1)));
            ClickSession first = sessions.get(0);
            assertThat(first.userId).isEqualTo("alice");
            assertThat(first.start).isEqualTo(at(0));
            assertThat(first.end).isEqualTo(at(min(14)));
            assertThat(first.closedAt).isEqualTo(at(min(24)));
            assertThat(first.clicks).isEqualTo(5);
            assertThat(first.pageViews).isEqualTo(2);
            assertThat(first.addToCarts).isEqualTo(1);
            assertThat(first.checkouts).isEqualTo(1);
            assertThat(first.purchases).isEqualTo(1);
            assertThat(first.converted).isTrue();
            assertThat(first.pages)
                    .containsExactly("/", "/checkout", "/checkout/confirmation", "/product/1");
            assertThat(sessions.get(1).clicks).isEqualTo(1);
            assertThat(sessions.get(1).converted).isFalse();
        }
    }

    @Test
    void clicksExactlyTheGapApartMergeOneMillisecondMoreSplits() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    view("a1", "alice", "/", at(0)),
                    view("a2", "alice", "/", at(min(10))),
                    view("b1", "bob", "/", at(0)),
                    view("b2", "bob", "/", at(min(10)) + 1));
            h.processWatermark(at(min(60)));

            assertThat(sessions(h))
                    .extracting(s -> s.sessionId + ":" + s.clicks)
                    .containsExactly(
                            "alice@" + at(0) + ":2",
                            "bob@" + at(0) + ":1",
                            "bob@" + (at(min(10)) + 1) + ":1");
        }
    }

    @Test
    void aSessionIsEmittedOnceTheWatermarkPassesItsLastClickPlusTheGap() throws Exception {
        try (var h = harness()) {
            send(h, view("a1", "alice", "/", at(0)), view("a2", "alice", "/", at(min(3))));
            h.processWatermark(at(min(13)) - 2);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(at(min(13)) - 1);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void thePageListIsCappedToTheSmallestDistinctPages() throws Exception {
        try (var h = harness()) {
            // Arrival order reversed: the cap must not depend on it.
            for (int i = 149; i >= 0; i--) {
                send(h, view("v" + i, "alice", String.format("/p/%03d", i), at(i)));
                send(h, view("w" + i, "alice", String.format("/p/%03d", i), at(i)));
            }
            h.processWatermark(at(min(60)));

            ClickSession s = h.extractOutputValues().get(0);
            assertThat(s.clicks).isEqualTo(300);
            assertThat(s.pages)
                    .hasSize(ClickSession.MAX_PAGES)
                    .isEqualTo(
                            IntStream.range(0, ClickSession.MAX_PAGES)
                                    .mapToObj(i -> String.format("/p/%03d", i))
                                    .toList());
        }
    }

    @Test
    void lateClicksGoToTheLateOutput() throws Exception {
        try (var h = harness()) {
            h.processWatermark(at(min(30)));
            send(h, view("late", "alice", "/", at(min(20))), view("ok", "alice", "/", at(min(31))));

            assertThat(h.getSideOutput(ClickstreamJob.LATE_CLICKS))
                    .extracting(r -> r.getValue().eventId)
                    .containsExactly("late");
        }
    }

    @Test
    void windowStateAndTimersGoBackToZeroForQuietUsers() throws Exception {
        try (var h = harness()) {
            send(
                    h,
                    view("a1", "alice", "/", at(0)),
                    view("a2", "alice", "/", at(min(8))),
                    view("b1", "bob", "/", at(min(1))),
                    view("c1", "carol", "/", at(min(20))));
            h.processWatermark(at(min(19)));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.numKeyedStateEntries()).as("carol's open session").isPositive();

            h.processWatermark(at(min(31)));

            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
