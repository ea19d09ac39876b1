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
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Both funnel stages of the job in harnesses, the first one's output fed to the second; 5 min. */
class FunnelTest {
    private static final ClickRules RULES =
            new ClickRules(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofHours(1));

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, FurthestStep>
            perUser() throws Exception {
        return Clicks.harness(
                Funnel.furthestSteps(Clicks.users(), RULES),
                (ClickEvent c) -> c.userId,
                Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, FurthestStep, FunnelCounts>
            perWindow() throws Exception {
        var env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment();
        var steps =
                env.fromData(List.of(new FurthestStep(0, 1, 0)), Types.POJO(FurthestStep.class));
        return Clicks.harness(
                Funnel.count(steps, RULES), (FurthestStep s) -> s.windowStart, Types.LONG);
    }

    @SuppressWarnings("unchecked")
    private static List<StreamRecord<FurthestStep>> records(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, FurthestStep> users) {
        return users.extractOutputStreamRecords().stream()
                .map(r -> (StreamRecord<FurthestStep>) r)
                .toList();
    }

    @Test
    void countsDistinctUsersAtLeastAtEachStepPerWindow() throws Exception {
        try (var users = perUser();
                var windows = perWindow()) {
            send(
                    users,
                    // Window [0, 5 min): a buyer (out of order), a browser who viewed twice, a
                    // user who only added to the cart, one who left at the checkout.
                    purchase("b3", "buyer", at(min(3))),
                    view("b1", "buyer", "/", at(0)),
                    cart("b2", "buyer", at(min(1))),
                    view("w1", "browser", "/", at(min(1))),
                    view("w2", "browser", "/", at(min(2))),
                    cart("c1", "carter", at(min(4))),
                    checkout("k1", "leaver", at(min(4))),
                    // Window [5, 10 min): the buyer again, browsing.
                    view("b4", "buyer", "/", at(min(6))));
            users.processWatermark(at(min(10)));
            List<StreamRecord<FurthestStep>> steps =
                    records(users).stream()
                            .sorted(Comparator.comparingLong(r -> r.getValue().step))
                            .toList();
            assertThat(steps).extracting(r -> r.getValue().step).containsExactly(0, 0, 1, 2, 3);

            for (StreamRecord<FurthestStep> step : steps) {
                windows.processElement(step);
            }
            windows.processWatermark(at(min(10)));

            List<FunnelCounts> funnels =
                    windows.extractOutputValues().stream()
                            .sorted(Comparator.comparingLong(f -> f.windowStart))
                            .toList();
            assertThat(funnels).hasSize(2);
            FunnelCounts first = funnels.get(0);
            assertThat(first.windowStart).isEqualTo(at(0));
            assertThat(first.windowEnd).isEqualTo(at(min(5)));
            assertThat(List.of(first.viewed, first.addedToCart, first.checkedOut, first.purchased))
                    .containsExactly(4L, 3L, 2L, 1L);
            assertThat(first.viewToCart).isEqualTo(0.75);
            assertThat(first.cartToCheckout).isEqualTo(2.0 / 3);
            assertThat(first.checkoutToPurchase).isEqualTo(0.5);
            assertThat(first.viewToPurchase).isEqualTo(0.25);
            FunnelCounts second = funnels.get(1);
            assertThat(List.of(second.viewed, second.addedToCart, second.purchased))
                    .containsExactly(1L, 0L, 0L);
            assertThat(second.cartToCheckout).as("0 / 0 is 0").isZero();
        }
    }

    @Test
    void lateClicksGoToTheLateOutput() throws Exception {
        try (var users = perUser()) {
            users.processWatermark(at(min(5)));
            send(users, view("late", "u", "/", at(min(4))), view("ok", "u", "/", at(min(5)) + 1));

            assertThat(users.getSideOutput(ClickstreamJob.LATE_CLICKS))
                    .extracting(r -> r.getValue().eventId)
                    .containsExactly("late");
        }
    }

    @Test
    void bothStagesStateAndTimersGoBackToZero() throws Exception {
        try (var users = perUser();
                var windows = perWindow()) {
            send(
                    users,
                    view("a", "u1", "/", at(0)),
                    cart("b", "u2", at(min(1))),
                    view("c", "u3", "/", at(min(7))));
            users.processWatermark(at(min(5)));
            assertThat(users.numKeyedStateEntries()).as("u3's open window").isPositive();
            for (StreamRecord<FurthestStep> step : records(users)) {
                windows.processElement(step);
            }
            assertThat(windows.numKeyedStateEntries()).isPositive();

            users.processWatermark(at(min(10)));
            windows.processWatermark(at(min(5)));

            assertThat(users.numKeyedStateEntries()).isZero();
            assertThat(users.numEventTimeTimers()).isZero();
            assertThat(windows.numKeyedStateEntries()).isZero();
            assertThat(windows.numEventTimeTimers()).isZero();
        }
    }
}
