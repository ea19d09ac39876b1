package dev.tideway.jobs.clicks;

import static dev.tideway.jobs.clicks.Clicks.at;
import static dev.tideway.jobs.clicks.Clicks.cart;
import static dev.tideway.jobs.clicks.Clicks.min;
import static dev.tideway.jobs.clicks.Clicks.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.ClickEvent;
import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * With {@code tideway.clicks.engine: CEP} the job keeps the uid of the previous release's flink-cep
 * operator ({@code clicks-abandoned-cart}). Its pattern is now compiled from the rule (cart not
 * followed by purchase), not hand-written (cart followed by purchase, timeouts as alerts): the
 * state of the old operator, restored into the new one, still completes the open carts.
 */
class AbandonedCartCepStateTest {
    private static final ClickRules RULES =
            new ClickRules(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(10));

    @Test
    void theCepOptionResumesTheOpenCartsOfThePreviousReleasesOperator() throws Exception {
        OperatorSubtaskState snapshot;
        try (var old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new CepOperator<>(
                                Types.POJO(ClickEvent.class)
                                        .createSerializer(new SerializerConfigImpl()),
                                false,
                                NFACompiler.compileFactory(
                                        AbandonedCartEquivalenceTest.Legacy.pattern(RULES), true),
                                null,
                                AfterMatchSkipStrategy.noSkip(),
                                new AbandonedCartEquivalenceTest.Legacy.ToAlert(RULES),
                                ClickstreamJob.LATE_CLICKS),
                        (ClickEvent c) -> c.userId,
                        Types.STRING)) {
            old.open();
            old.processElement(cart("c1", "u1", at(0)), at(0));
            old.processElement(cart("c2", "u2", at(0)), at(0));
            // Still waiting for the watermark when the savepoint is taken.
            old.processElement(cart("c3", "u3", at(min(2))), at(min(2)));
            old.processWatermark(at(min(1)));
            snapshot = old.snapshot(1, 1);
        }

        @SuppressWarnings("unchecked")
        StreamOperatorFactory<Alert> factory =
                ((OneInputTransformation<ClickEvent, Alert>)
                                AbandonedCartRule.onCep(Clicks.users(), RULES).getTransformation())
                        .getOperatorFactory();
        try (var now =
                new KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Alert>(
                        factory, c -> c.userId, Types.STRING)) {
            now.initializeState(snapshot);
            now.open();
            now.processElement(purchase("p2", "u2", at(min(3))), at(min(3)));
            now.processWatermark(at(min(30)));

            assertThat(now.extractOutputValues())
                    .extracting(a -> a.alertId + " " + a.eventTime + " " + a.detail)
                    .containsExactlyInAnyOrder(
                            "abandoned-cart:u1:c1 "
                                    + at(min(10))
                                    + " added /product/1 to the cart, no purchase within PT10M",
                            "abandoned-cart:u3:c3 "
                                    + at(min(12))
                                    + " added /product/1 to the cart, no purchase within PT10M");
            assertThat(now.numKeyedStateEntries()).isZero();
        }
    }
}
