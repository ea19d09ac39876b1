package dev.tideway.jobs.clicks;

import dev.tideway.common.model.ClickEvent;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Sessionization: an event-time session window per user. Clicks at most the gap apart belong to one
 * session (Flink merges the windows [t, t + gap) of two clicks when they touch); the window fires
 * when the watermark passes the last click plus the gap, and its state is dropped then. Only the
 * running totals are kept ({@link SessionAccumulator}), never the clicks themselves.
 */
public final class Sessions {
    private Sessions() {}

    public static SingleOutputStreamOperator<ClickSession> summarize(
            KeyedStream<ClickEvent, String> users, ClickRules rules) {
        return users.window(EventTimeSessionWindows.withGap(rules.sessionGap()))
                .sideOutputLateData(ClickstreamJob.LATE_CLICKS)
                .aggregate(
                        new Accumulate(),
                        new ToSession(),
                        Types.POJO(SessionAccumulator.class),
                        Types.POJO(SessionAccumulator.class),
                        Types.POJO(ClickSession.class));
    }

    /** Adds clicks to the running totals; merges the totals of windows that grew together. */
    static final class Accumulate
            implements AggregateFunction<ClickEvent, SessionAccumulator, SessionAccumulator> {
        @Override
        public SessionAccumulator createAccumulator() {
            return new SessionAccumulator();
        }

        @Override
        public SessionAccumulator add(ClickEvent click, SessionAccumulator acc) {
            acc.first = Math.min(acc.first, click.eventTime);
            acc.last = Math.max(acc.last, click.eventTime);
            acc.clicks++;
            switch (click.action) {
                case VIEW -> acc.pageViews++;
                case ADD_TO_CART -> acc.addToCarts++;
                case CHECKOUT -> acc.checkouts++;
                case PURCHASE -> acc.purchases++;
            }
            acc.addPage(click.page);
            return acc;
        }

        @Override
        public SessionAccumulator getResult(SessionAccumulator acc) {
            return acc;
        }

        @Override
        public SessionAccumulator merge(SessionAccumulator a, SessionAccumulator b) {
            a.first = Math.min(a.first, b.first);
            a.last = Math.max(a.last, b.last);
            a.clicks += b.clicks;
            a.pageViews += b.pageViews;
            a.addToCarts += b.addToCarts;
            a.checkouts += b.checkouts;
            a.purchases += b.purchases;
            b.pages.forEach(a::addPage);
            return a;
        }
    }

    /** The summary, stamped with the window: its end is the last click plus the gap. */
    static final class ToSession
            extends ProcessWindowFunction<SessionAccumulator, ClickSession, String, TimeWindow> {
        @Override
        public void process(
                String userId,
                Context context,
                Iterable<SessionAccumulator> totals,
                Collector<ClickSession> out) {
            SessionAccumulator acc = totals.iterator().next();
            ClickSession s = new ClickSession();
            s.userId = userId;
            s.start = acc.first;
            s.end = acc.last;
            s.closedAt = context.window().getEnd();
            s.sessionId = ClickSession.idOf(userId, acc.first);
            s.clicks = acc.clicks;
            s.pageViews = acc.pageViews;
            s.addToCarts = acc.addToCarts;
            s.checkouts = acc.checkouts;
            s.purchases = acc.purchases;
            s.converted = acc.purchases > 0;
            s.pages = acc.pages;
            out.collect(s);
        }
    }
}
