package dev.tideway.jobs.clicks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One user's session: clicks with no silence longer than the session gap between them. A Flink
 * POJO, written to the sessions topic and to files ({@code click_sessions}).
 */
public class ClickSession {
    /** The most distinct pages a session lists; the page list is state, so it is capped. */
    public static final int MAX_PAGES = 100;

    /** Deterministic ({@code userId@start}), so consumers can recognise a repeat. */
    public String sessionId;

    public String userId;

    /** Event time of the first click, epoch milliseconds. */
    public long start;

    /** Event time of the last click, epoch milliseconds. */
    public long end;

    /** {@link #end} plus the gap: the event time at which the session was known to be over. */
    public long closedAt;

    /** Every click of the session, whatever its action. */
    public int clicks;

    public int pageViews;
    public int addToCarts;
    public int checkouts;
    public int purchases;

    /** The session contains a purchase. */
    public boolean converted;

    /** Distinct pages, sorted; the first {@value #MAX_PAGES} in that order when there are more. */
    public List<String> pages = new ArrayList<>();

    public ClickSession() {}

    public static String idOf(String userId, long start) {
        return userId + "@" + start;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClickSession)) {
            return false;
        }
        ClickSession s = (ClickSession) o;
        return start == s.start
                && end == s.end
                && closedAt == s.closedAt
                && clicks == s.clicks
                && pageViews == s.pageViews
                && addToCarts == s.addToCarts
                && checkouts == s.checkouts
                && purchases == s.purchases
                && converted == s.converted
                && Objects.equals(sessionId, s.sessionId)
                && Objects.equals(userId, s.userId)
                && Objects.equals(pages, s.pages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId);
    }

    @Override
    public String toString() {
        return "ClickSession{"
                + sessionId
                + ", "
                + (end - start)
                + " ms, clicks="
                + clicks
                + ", views="
                + pageViews
                + ", carts="
                + addToCarts
                + ", checkouts="
                + checkouts
                + ", purchases="
                + purchases
                + ", pages="
                + pages
                + '}';
    }
}
