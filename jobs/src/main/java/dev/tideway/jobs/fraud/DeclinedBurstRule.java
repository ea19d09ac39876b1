package dev.tideway.jobs.fraud;

import dev.tideway.common.model.Alert;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.jobs.support.EventTimeOrderedFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Declined burst: {@code count} declined authorizations on one card within {@code window}. One
 * alert per burst: the declines that raised it are forgotten, so the next alert needs a fresh
 * burst. State: the card's recent declines only; it is empty again once the window has passed.
 */
public class DeclinedBurstRule extends EventTimeOrderedFunction<String, CardTransaction, Alert> {
    public static final String NAME = "declined-burst";

    private final int count;
    private final long windowMillis;
    private transient ListState<Decline> recentDeclines;

    public DeclinedBurstRule(FraudRules rules) {
        super(Types.POJO(CardTransaction.class), FraudDetectionJob.LATE_TRANSACTIONS);
        this.count = rules.declines();
        this.windowMillis = rules.declinesWindow().toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        recentDeclines =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "recent-declines", Types.POJO(Decline.class)));
    }

    @Override
    protected void processInOrder(
            CardTransaction tx, long eventTime, Context ctx, Collector<Alert> out)
            throws Exception {
        if (!tx.isDeclined()) {
            return;
        }
        List<Decline> declines = stillInWindow(eventTime);
        declines.add(new Decline(tx.eventId, eventTime));
        if (declines.size() >= count) {
            List<String> evidence = declines.stream().map(d -> d.eventId).toList();
            out.collect(
                    new Alert(
                            NAME,
                            tx.cardId,
                            evidence,
                            declines.size() + " declined authorizations within " + window(),
                            eventTime,
                            System.currentTimeMillis()));
            recentDeclines.clear();
            return;
        }
        recentDeclines.update(declines);
        // Wakes up when this decline leaves the window, to forget it.
        ctx.timerService().registerEventTimeTimer(eventTime + windowMillis);
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        List<Decline> declines = stillInWindow(timestamp);
        if (declines.isEmpty()) {
            recentDeclines.clear();
        } else {
            recentDeclines.update(declines);
        }
    }

    /** Declines in (now - window, now]. */
    private List<Decline> stillInWindow(long now) throws Exception {
        List<Decline> kept = new ArrayList<>();
        Iterable<Decline> stored = recentDeclines.get();
        if (stored != null) {
            for (Decline d : stored) {
                if (d.eventTime > now - windowMillis) {
                    kept.add(d);
                }
            }
        }
        return kept;
    }

    private String window() {
        return java.time.Duration.ofMillis(windowMillis).toString();
    }

    /** A decline remembered as evidence. A Flink POJO. */
    public static class Decline {
        public String eventId;
        public long eventTime;

        public Decline() {}

        Decline(String eventId, long eventTime) {
            this.eventId = eventId;
            this.eventTime = eventTime;
        }
    }
}
