package dev.tideway.jobs.clicks;

import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the job must output, computed from the clicks with plain collections and none of the job's
 * code: a user's clicks sorted by time start a new session when more than the gap follows the
 * previous one; a funnel window counts each active user at every step up to their furthest.
 */
final class ExpectedClicks {
    private ExpectedClicks() {}

    static List<ClickSession> sessions(List<ClickEvent> clicks, Duration gap) {
        long gapMillis = gap.toMillis();
        List<ClickSession> sessions = new ArrayList<>();
        Map<String, List<ClickEvent>> byUser =
                clicks.stream().collect(Collectors.groupingBy(c -> c.userId));
        for (List<ClickEvent> userClicks : byUser.values()) {
            List<ClickEvent> sorted =
                    userClicks.stream().sorted(Comparator.comparingLong(c -> c.eventTime)).toList();
            List<ClickEvent> current = new ArrayList<>();
            for (ClickEvent c : sorted) {
                if (!current.isEmpty()
                        && c.eventTime - current.get(current.size() - 1).eventTime > gapMillis) {
                    sessions.add(summary(current, gapMillis));
                    current = new ArrayList<>();
                }
                current.add(c);
            }
            sessions.add(summary(current, gapMillis));
        }
        return sessions;
    }

    private static ClickSession summary(List<ClickEvent> clicks, long gapMillis) {
        ClickSession s = new ClickSession();
        s.userId = clicks.get(0).userId;
        s.start = clicks.get(0).eventTime;
        s.end = clicks.get(clicks.size() - 1).eventTime;
        s.closedAt = s.end + gapMillis;
        s.sessionId = s.userId + "@" + s.start;
        s.clicks = clicks.size();
        s.pageViews = count(clicks, ClickAction.VIEW);
        s.addToCarts = count(clicks, ClickAction.ADD_TO_CART);
        s.checkouts = count(clicks, ClickAction.CHECKOUT);
        s.purchases = count(clicks, ClickAction.PURCHASE);
        s.converted = s.purchases > 0;
        s.pages =
                clicks.stream()
                        .map(c -> c.page)
                        .distinct()
                        .sorted()
                        .limit(ClickSession.MAX_PAGES)
                        .collect(Collectors.toCollection(ArrayList::new));
        return s;
    }

    private static int count(List<ClickEvent> clicks, ClickAction action) {
        return (int) clicks.stream().filter(c -> c.action == action).count();
    }

    static List<FunnelCounts> funnels(List<ClickEvent> clicks, Duration window) {
        long size = window.toMillis();
        // window start -> user -> furthest step
        Map<Long, Map<String, Integer>> furthest = new TreeMap<>();
        for (ClickEvent c : clicks) {
            long start = c.eventTime - Math.floorMod(c.eventTime, size);
            furthest.computeIfAbsent(start, w -> new TreeMap<>())
                    .merge(c.userId, c.action.ordinal(), Math::max);
        }
        List<FunnelCounts> funnels = new ArrayList<>();
        for (var w : furthest.entrySet()) {
            long[] atLeast = new long[ClickAction.values().length];
            for (int step : w.getValue().values()) {
                for (int k = 0; k <= step; k++) {
                    atLeast[k]++;
                }
            }
            funnels.add(FunnelCounts.of(w.getKey(), w.getKey() + size, atLeast));
        }
        return funnels;
    }
}
