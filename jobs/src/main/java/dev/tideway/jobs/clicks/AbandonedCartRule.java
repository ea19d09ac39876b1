package dev.tideway.jobs.clicks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.rules.CompiledRule;
import dev.tideway.rules.RuleEngine;
import dev.tideway.rules.cep.CepReference;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Abandoned cart: an add_to_cart by a user that no purchase by the same user follows within the
 * timeout (event time; a purchase exactly at the timeout is too late). Written in the rule
 * language, made from {@code tideway.clicks.abandon-timeout}:
 *
 * <pre>{@code
 * {"id": "abandoned-cart", "version": 1, "key": "userId", "within": "3600000 ms",
 *  "steps": [{"name": "cart", "where": "action == 'add_to_cart'"}],
 *  "absent": {"name": "purchase", "where": "action == 'purchase'"},
 *  "detail": "added {cart.page} to the cart, no purchase within PT1H"}
 * }</pre>
 *
 * Every add_to_cart starts its own match, so a user who adds two items and leaves gets one alert
 * per item; a purchase ends every cart before it that is still open. The alert is the cart (its id
 * is the evidence) at the moment it became abandoned, cart time + timeout. It runs on the Tideway
 * rules engine ({@link #onEngine}), or as the same rule compiled to a flink-cep pattern ({@link
 * #onCep}, {@code tideway.clicks.engine: CEP}); both sort each user's clicks by event time, so
 * out-of-order input within the watermark bound is exact, and an open cart lives at most the
 * timeout.
 */
public final class AbandonedCartRule {
    public static final String NAME = "abandoned-cart";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AbandonedCartRule() {}

    /** The rule, in the rule language, for the job's timeout. */
    public static RuleDefinition definition(ClickRules rules) {
        ObjectNode rule =
                JSON.createObjectNode()
                        .put("id", NAME)
                        .put("version", 1)
                        .put("key", "userId")
                        .put(
                                "description",
                                "an add_to_cart that no purchase by the same user follows in time")
                        .put("within", rules.abandonTimeout().toMillis() + " ms");
        rule.putArray("steps")
                .addObject()
                .put("name", "cart")
                .put("where", "action == 'add_to_cart'");
        rule.putObject("absent").put("name", "purchase").put("where", "action == 'purchase'");
        rule.put(
                "detail",
                "added {cart.page} to the cart, no purchase within " + rules.abandonTimeout());
        return RuleParser.parse(rule.toString());
    }

    /**
     * The rule on the Tideway rules engine; late clicks go to {@link ClickstreamJob#LATE_CLICKS}.
     *
     * @param ruleUpdates rule JSON to apply while the job runs (the job passes an empty stream)
     */
    public static SingleOutputStreamOperator<Alert> onEngine(
            KeyedStream<ClickEvent, String> users,
            DataStream<String> ruleUpdates,
            ClickRules rules) {
        return RuleEngine.detect(
                users,
                ruleUpdates,
                ClickEventFields.SCHEMA,
                List.of(definition(rules)),
                ClickstreamJob.LATE_CLICKS);
    }

    /** The same rule as a flink-cep pattern (the reference); alerts on the main output. */
    public static SingleOutputStreamOperator<Alert> onCep(
            KeyedStream<ClickEvent, String> users, ClickRules rules) {
        return CepReference.detect(
                users,
                CompiledRule.compile(definition(rules), ClickEventFields.SCHEMA),
                ClickEventFields.SCHEMA,
                ClickstreamJob.LATE_CLICKS);
    }
}
