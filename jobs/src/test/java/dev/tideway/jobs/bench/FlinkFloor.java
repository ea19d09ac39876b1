package dev.tideway.jobs.bench;

import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.Geo;
import dev.tideway.connectors.kafka.DecodedStreams;
import dev.tideway.jobs.fraud.FraudDetectionJob;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
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
 * work), or the card-testing rule written by hand. The rules engine's share of the fraud job's time
 * is the difference to this floor.
 */
final class FlinkFloor {
    /** What the keyed operator does per event. */
    enum KeyedWork {
        NOTHING,
        /** Reads and writes a per-card counter. */
        COUNT,
        /**
         * The card-testing rule as a hand-written state machine, exact in arrival order only: the
         * issue's reference row ("hand-written KeyedProcessFunction state machine") on this
         * machine.
         */
        CARD_TESTING,
        /**
         * The three rules of flink-conf/rules/fraud-rules.json as one hand-written state machine,
         * exact in arrival order only, without de-duplication: the reference row for all rules.
         */
        ALL_RULES
    }

    static final ConfigOption<KeyedWork> KEYED_WORK =
            ConfigOptions.key("tideway.bench.floor.keyed-work")
                    .enumType(KeyedWork.class)
                    .defaultValue(KeyedWork.NOTHING)
                    .withDescription("What the keyed operator does for each event.");

    static void build(ReadableConfig config, StreamExecutionEnvironment env) {
        DecodedStreams<CardTransaction> input =
                FraudDetectionJob.transactionSource(config).open(env);
        KeyedWork work = config.get(KEYED_WORK);
        input.events()
                .keyBy(tx -> tx.cardId)
                .process(perCard(work), Types.LONG)
                .uid("floor-per-card")
                .name("per card: " + work.name().toLowerCase(Locale.ROOT))
                .sinkTo(new DiscardingSink<>())
                .uid("floor-discard")
                .name("discard");
        input.deadAndLate()
                .sinkTo(FraudDetectionJob.deadLetterSink(config, env))
                .uid("floor-dead-letters-sink")
                .name("kafka: dead letters");
    }

    private static KeyedProcessFunction<String, CardTransaction, Long> perCard(KeyedWork work) {
        switch (work) {
            case CARD_TESTING:
                return new CardTesting();
            case ALL_RULES:
                return new AllFraudRules();
            default:
                return new PerCard(work);
        }
    }

    /** Emits nothing; with {@link KeyedWork#COUNT}, counts each card's events in keyed state. */
    private static final class PerCard extends KeyedProcessFunction<String, CardTransaction, Long> {
        private final boolean touchState;
        private transient ValueState<Long> count;

        PerCard(KeyedWork work) {
            this.touchState = work == KeyedWork.COUNT;
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

    /**
     * The card-testing rule of flink-conf/rules/fraud-rules.json by hand: a charge of 2.00 or less,
     * then one of 500.00 or more within 5 minutes, in arrival order. One state read per event, a
     * write only when a probe arrives or a match or an expired probe clears it. Emits the charge's
     * event time per alert.
     */
    private static final class CardTesting
            extends KeyedProcessFunction<String, CardTransaction, Long> {
        private static final BigDecimal PROBE_AT_MOST = new BigDecimal("2.00");
        private static final BigDecimal CHARGE_AT_LEAST = new BigDecimal("500.00");
        private static final long WITHIN_MS = Duration.ofMinutes(5).toMillis();
        static final long NO_PROBE = Long.MIN_VALUE;

        /** Event time of the card's latest probe. */
        private transient ValueState<Long> probeAt;

        @Override
        public void open(OpenContext context) {
            probeAt =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>("probe-at", Types.LONG));
        }

        @Override
        public void processElement(CardTransaction tx, Context ctx, Collector<Long> out)
                throws Exception {
            Long stored = probeAt.value();
            long probe = stored == null ? NO_PROBE : stored;
            long next = nextProbeAt(probe, tx, out);
            if (next == probe) {
                return;
            }
            if (next == NO_PROBE) {
                probeAt.clear();
            } else {
                probeAt.update(next);
            }
        }

        /**
         * The rule's one step: the card's latest probe time after {@code tx} ({@link #NO_PROBE} for
         * none), emitting the charge's event time on a match.
         */
        static long nextProbeAt(long probeAt, CardTransaction tx, Collector<Long> out) {
            if (tx.amount.compareTo(PROBE_AT_MOST) <= 0) {
                return tx.eventTime;
            } else if (probeAt != NO_PROBE && tx.eventTime - probeAt > WITHIN_MS) {
                return NO_PROBE;
            } else if (probeAt != NO_PROBE && tx.amount.compareTo(CHARGE_AT_LEAST) >= 0) {
                out.collect(tx.eventTime);
                return NO_PROBE;
            }
            return probeAt;
        }
    }

    /** What {@link AllFraudRules} keeps per card, in one state value (a Flink POJO). */
    public static final class CardMemory {
        /** Event time of the latest probe (card-testing), or CardTesting.NO_PROBE. */
        public long probeAt = CardTesting.NO_PROBE;

        /** Event times of the latest two declines (declined-burst), or Long.MIN_VALUE. */
        public long olderDeclineAt = Long.MIN_VALUE;

        public long newerDeclineAt = Long.MIN_VALUE;

        /** The previous transaction (impossible-travel). */
        public long lastAt = Long.MIN_VALUE;

        public double lastLatitude;
        public double lastLongitude;

        public CardMemory() {}
    }

    /**
     * card-testing, declined-burst and impossible-travel by hand, in arrival order: one state read
     * and one write per event (impossible-travel needs every card's previous transaction). Emits
     * the event time of each alert's last transaction.
     */
    private static final class AllFraudRules
            extends KeyedProcessFunction<String, CardTransaction, Long> {
        private static final long DECLINES_WITHIN_MS = Duration.ofMinutes(10).toMillis();
        private static final long TRAVEL_WITHIN_MS = Duration.ofHours(6).toMillis();

        private transient ValueState<CardMemory> memory;

        @Override
        public void open(OpenContext context) {
            memory =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            "card-memory", Types.POJO(CardMemory.class)));
        }

        @Override
        public void processElement(CardTransaction tx, Context ctx, Collector<Long> out)
                throws Exception {
            CardMemory card = memory.value();
            if (card == null) {
                card = new CardMemory();
            }
            long t = tx.eventTime;
            card.probeAt = CardTesting.nextProbeAt(card.probeAt, tx, out);
            if (tx.isDeclined()) {
                declinedBurst(card, t, out);
            }
            if (card.lastAt != Long.MIN_VALUE && t - card.lastAt <= TRAVEL_WITHIN_MS) {
                double km =
                        Geo.distanceKm(
                                card.lastLatitude, card.lastLongitude, tx.latitude, tx.longitude);
                double hours = Math.abs(t - card.lastAt) / 3_600_000.0;
                double kmh = hours > 0 ? km / hours : (km > 0 ? Double.POSITIVE_INFINITY : 0);
                if (km >= 100.0 && kmh > 900.0) {
                    out.collect(t);
                }
            }
            card.lastAt = t;
            card.lastLatitude = tx.latitude;
            card.lastLongitude = tx.longitude;
            memory.update(card);
        }

        private static void declinedBurst(CardMemory card, long t, Collector<Long> out) {
            if (card.olderDeclineAt != Long.MIN_VALUE
                    && t - card.olderDeclineAt > DECLINES_WITHIN_MS) {
                card.olderDeclineAt = Long.MIN_VALUE;
            }
            if (card.newerDeclineAt != Long.MIN_VALUE
                    && t - card.newerDeclineAt > DECLINES_WITHIN_MS) {
                card.newerDeclineAt = Long.MIN_VALUE;
            }
            if (card.olderDeclineAt != Long.MIN_VALUE && card.newerDeclineAt != Long.MIN_VALUE) {
                out.collect(t);
                card.olderDeclineAt = Long.MIN_VALUE;
                card.newerDeclineAt = Long.MIN_VALUE;
            } else if (card.newerDeclineAt != Long.MIN_VALUE) {
                card.olderDeclineAt = card.newerDeclineAt;
                card.newerDeclineAt = t;
            } else {
                card.newerDeclineAt = t;
            }
        }
    }

    private FlinkFloor() {}
}
