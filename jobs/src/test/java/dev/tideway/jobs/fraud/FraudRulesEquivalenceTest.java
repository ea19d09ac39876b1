package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.testing.EngineAndReference;
import dev.tideway.rules.testing.EngineAndReference.Item;
import dev.tideway.rules.testing.OutOfOrderStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The fraud rules on the Tideway engine against the same rules on flink-cep, over many seeded card
 * streams delivered out of order within the watermark bound (plus a few late ones): each rule
 * alone, then all rules together in one engine operator as the job runs them.
 */
class FraudRulesEquivalenceTest {
    private static final int STREAMS = 50;
    private static final long DISORDER = Duration.ofSeconds(90).toMillis();

    private final EngineAndReference<CardTransaction> both =
            new EngineAndReference<>(
                    CardTransactionFields.SCHEMA,
                    Types.POJO(CardTransaction.class),
                    tx -> tx.cardId);

    /** Windows short enough that a stream of a few hours opens and closes many of them. */
    static List<RuleDefinition> rules() {
        Configuration c = new Configuration();
        c.set(FraudOptions.TRAVEL_MEMORY, Duration.ofMinutes(30));
        return CardRules.defaults(FraudOptions.rules(c));
    }

    @Test
    void eachRuleAloneGivesFlinkCepsAlerts() throws Exception {
        for (RuleDefinition rule : rules()) {
            int alerts = 0;
            for (int s = 0; s < STREAMS; s++) {
                List<Item<CardTransaction>> input = stream(s);
                EngineAndReference.Output engine = both.engine(rule, input);
                EngineAndReference.Output reference = both.reference(rule, input);
                assertThat(engine.alertsByKey())
                        .as("%s, seed %d", rule.id(), s)
                        .isEqualTo(reference.alertsByKey());
                assertThat(engine.lateSorted()).isEqualTo(reference.lateSorted());
                alerts += reference.alerts().size();
            }
            assertThat(alerts).as("%s alerts over all streams", rule.id()).isGreaterThan(STREAMS);
        }
    }

    @Test
    void allRulesInOneOperatorGiveFlinkCepsAlerts() throws Exception {
        List<RuleDefinition> rules = rules();
        for (int s = 0; s < STREAMS; s++) {
            List<Item<CardTransaction>> input = stream(1000 + s);
            assertThat(both.engine(rules, input).alertsByKey())
                    .as("seed %d", 1000 + s)
                    .isEqualTo(both.reference(rules, input).alertsByKey());
        }
    }

    private static List<Item<CardTransaction>> stream(long seed) {
        return OutOfOrderStream.generate(
                seed,
                500,
                1_790_000_000_000L,
                20_000,
                DISORDER,
                0.02,
                FraudRulesEquivalenceTest::transaction);
    }

    private static final String[] AMOUNTS = {
        "0.50", "1.99", "2.00", "25.00", "499.99", "500.00", "900.00"
    };
    private static final double[][] PLACES = {
        {48.85, 2.35}, {48.86, 2.36}, {35.67, 139.65}, {40.71, -74.0}
    };

    static CardTransaction transaction(Random random, int index, long ts) {
        double[] place = PLACES[random.nextInt(6) == 0 ? 2 + random.nextInt(2) : random.nextInt(2)];
        return new CardTransaction(
                "tx" + index,
                "card-" + random.nextInt(5),
                "acct",
                "shop",
                new BigDecimal(AMOUNTS[random.nextInt(AMOUNTS.length)]),
                "EUR",
                place[0],
                place[1],
                random.nextInt(3) == 0
                        ? AuthorizationResult.DECLINED
                        : AuthorizationResult.APPROVED,
                ts);
    }
}
