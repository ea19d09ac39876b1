package dev.tideway.jobs.fraud;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.Geo;
import dev.tideway.jobs.support.EventTimeOrderedFunction;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Impossible travel: two consecutive transactions of a card (in event time) further apart than
 * {@code min-distance-km} and faster than {@code max-speed-kmh} to cover. The suspect transaction
 * does not become the card's last known place, so the card's next genuine transaction at home is
 * not reported as a second journey. State: the last trusted place, forgotten after {@code memory}
 * without transactions.
 */
public class ImpossibleTravelRule extends EventTimeOrderedFunction<String, CardTransaction, Alert> {
    public static final String NAME = "impossible-travel";

    private final double maxSpeedKmh;
    private final double minDistanceKm;
    private final long memoryMillis;
    private transient ValueState<LastPlace> lastPlace;

    public ImpossibleTravelRule(FraudRules rules) {
        super(Types.POJO(CardTransaction.class), FraudDetectionJob.LATE_TRANSACTIONS);
        this.maxSpeedKmh = rules.maxSpeedKmh();
        this.minDistanceKm = rules.minDistanceKm();
        this.memoryMillis = rules.travelMemory().toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        lastPlace =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "last-place", Types.POJO(LastPlace.class)));
    }

    @Override
    protected void processInOrder(
            CardTransaction tx, long eventTime, Context ctx, Collector<Alert> out)
            throws Exception {
        LastPlace last = lastPlace.value();
        if (last != null) {
            double km = Geo.distanceKm(last.latitude, last.longitude, tx.latitude, tx.longitude);
            double hours = (eventTime - last.eventTime) / 3_600_000.0;
            double kmh = hours > 0 ? km / hours : Double.POSITIVE_INFINITY;
            if (km >= minDistanceKm && kmh > maxSpeedKmh) {
                out.collect(
                        new Alert(
                                NAME,
                                tx.cardId,
                                List.of(last.eventId, tx.eventId),
                                describe(km, eventTime - last.eventTime, kmh),
                                eventTime,
                                System.currentTimeMillis()));
                return;
            }
        }
        lastPlace.update(new LastPlace(tx.eventId, tx.latitude, tx.longitude, eventTime));
        ctx.timerService().registerEventTimeTimer(eventTime + memoryMillis);
    }

    private static String describe(double km, long millis, double kmh) {
        String elapsed =
                millis < 60_000
                        ? String.format("%.1f s", millis / 1000.0)
                        : String.format("%.1f min", millis / 60_000.0);
        String speed = kmh > 100_000 ? "no plane is that fast" : String.format("%.0f km/h", kmh);
        return String.format("%.0f km in %s: %s", km, elapsed, speed);
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        LastPlace last = lastPlace.value();
        if (last != null && last.eventTime + memoryMillis <= timestamp) {
            lastPlace.clear();
        }
    }

    /** Where and when a card was last seen. A Flink POJO. */
    public static class LastPlace {
        public String eventId;
        public double latitude;
        public double longitude;
        public long eventTime;

        public LastPlace() {}

        LastPlace(String eventId, double latitude, double longitude, long eventTime) {
            this.eventId = eventId;
            this.latitude = latitude;
            this.longitude = longitude;
            this.eventTime = eventTime;
        }
    }
}
