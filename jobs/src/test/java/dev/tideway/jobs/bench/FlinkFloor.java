package dev.tideway.jobs.bench;

import dev.tideway.common.model.CardTransaction;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * What Flink itself costs the fraud job, without rules: the fraud job's Kafka source and decode,
 * the shuffle by card to a keyed operator, its checkpoints and dead letters, and a keyed operator
 * that does nothing, or one state read and write per event (a hand-written state machine's least
 * work). The rules engine's share of the fraud job's time is the difference to this floor.
 */
final class FlinkFloor {
    static final ConfigOption<Boolean> TOUCH_STATE =
            ConfigOptions.key("tideway.bench.floor.touch-state")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Read and write a per-card counter for every event.");

    static void build(ReadableConfig config, StreamExecutionEnvironment env) {
        DecodedStreams<CardTransaction> input =
                FraudDetectionJob.transactionSource(config).open(env);
        input.events()
                .keyBy(tx -> tx.cardId)
                .process(new PerCard(config.get(TOUCH_STATE)), Types.LONG)
                .uid("floor-per-card")
                .name(config.get(TOUCH_STATE) ? "per card: count in state" : "per card: nothing")
                .sinkTo(new DiscardingSink<>())
                .uid("floor-discard")
                .name("discard");
        input.deadAndLate()
                .sinkTo(FraudDetectionJob.deadLetterSink(config, env))
                .uid("floor-dead-letters-sink")
                .name("kafka: dead letters");
    }

    /** Emits nothing; with {@code touchState}, counts each card's events in keyed state. */
    private static final class PerCard extends KeyedProcessFunction<String, CardTransaction, Long> {
        private final boolean touchState;
        private transient ValueState<Long> count;

        PerCard(boolean touchState) {
            this.touchState = touchState;
        }

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(CardTransaction tx, Context ctx, Collector<Long> out)
                throws Exception {
            if (touchState) {
                Long seen = count.value();
                count.update(seen == null ? 1L : seen + 1);
            }
        }
    }

    private FlinkFloor() {}
}
