package dev.tideway.jobs.clicks;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Abandoned cart: an add_to_cart by a user that no purchase by the same user follows within the
 * timeout (event time; a purchase exactly at the timeout is too late). Written with flink-cep: the
 * pattern "cart, then purchase, within T" matches the carts that were bought, and its <em>timed-out
 * partial matches</em> are the abandoned ones. Each add_to_cart is its own partial match, so a user
 * who adds two items and leaves gets one alert per item; a purchase completes every cart before it.
 * CEP sorts each user's clicks by event time first, so out-of-order input within the watermark
 * bound is matched exactly. A partial match lives at most the timeout.
 */
public final class AbandonedCartRule {
    public static final String NAME = "abandoned-cart";

    /** Alerts leave through a side output: a timeout handler cannot use the main collector. */
    static final OutputTag<Alert> ABANDONED =
            new OutputTag<>("abandoned-carts", Types.POJO(Alert.class));

    private AbandonedCartRule() {}

    public static Pattern<ClickEvent, ClickEvent> pattern(ClickRules rules) {
        return Pattern.<ClickEvent>begin("cart", AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(c -> c.action == ClickAction.ADD_TO_CART))
                .followedBy("purchase")
                .where(SimpleCondition.of(c -> c.action == ClickAction.PURCHASE))
                .within(rules.abandonTimeout());
    }

    /** The CEP operator; its alerts are {@code getSideOutput(ABANDONED)} (see {@link #alerts}). */
    public static SingleOutputStreamOperator<Alert> detect(
            KeyedStream<ClickEvent, String> users, ClickRules rules) {
        return CEP.pattern(users, pattern(rules))
                .inEventTime()
                .sideOutputLateData(ClickstreamJob.LATE_CLICKS)
                .process(new ToAlert(rules), Types.POJO(Alert.class));
    }

    public static org.apache.flink.streaming.api.datastream.DataStream<Alert> alerts(
            SingleOutputStreamOperator<Alert> detected) {
        return detected.getSideOutput(ABANDONED);
    }

    /** Bought carts are no finding; a timed-out cart is an alert with the cart as evidence. */
    static final class ToAlert extends PatternProcessFunction<ClickEvent, Alert>
            implements TimedOutPartialMatchHandler<ClickEvent> {
        private final long timeoutMillis;
        private final String timeout;

        ToAlert(ClickRules rules) {
            this.timeoutMillis = rules.abandonTimeout().toMillis();
            this.timeout = rules.abandonTimeout().toString();
        }

        @Override
        public void processMatch(
                Map<String, List<ClickEvent>> match, Context ctx, Collector<Alert> out) {
            // The cart was bought in time: nothing to report.
        }

        @Override
        public void processTimedOutMatch(Map<String, List<ClickEvent>> match, Context ctx) {
            ClickEvent cart = match.get("cart").get(0);
            ctx.output(
                    ABANDONED,
                    new Alert(
                            NAME,
                            cart.userId,
                            List.of(cart.eventId),
                            "added " + cart.page + " to the cart, no purchase within " + timeout,
                            // When the cart became abandoned: the event time of the finding.
                            cart.eventTime + timeoutMillis,
                            System.currentTimeMillis()));
        }
    }
}
