package dev.tideway.jobs.clicks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A session in progress: the state a session window keeps per user and open session. Its size is
 * bounded whatever the input: counters, two times and at most {@link ClickSession#MAX_PAGES} pages.
 * A Flink POJO.
 */
public class SessionAccumulator {
    public long first = Long.MAX_VALUE;
    public long last = Long.MIN_VALUE;
    public int clicks;
    public int pageViews;
    public int addToCarts;
    public int checkouts;
    public int purchases;

    /** Distinct pages, sorted, capped: the same whatever order the clicks arrived in. */
    public List<String> pages = new ArrayList<>();

    public SessionAccumulator() {}

    void addPage(String page) {
        int at = Collections.binarySearch(pages, page);
        if (at >= 0) {
            return;
        }
        pages.add(-at - 1, page);
        if (pages.size() > ClickSession.MAX_PAGES) {
            pages.remove(pages.size() - 1);
        }
    }
}
