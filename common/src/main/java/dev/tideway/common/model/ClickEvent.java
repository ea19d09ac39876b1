package dev.tideway.common.model;

import java.util.Objects;

/** One user action on the website. A Flink POJO. */
public class ClickEvent {
    public String eventId;
    public String userId;
    public String sessionId;
    public String page;
    public ClickAction action;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    public ClickEvent() {}

    public ClickEvent(
            String eventId,
            String userId,
            String sessionId,
            String page,
            ClickAction action,
            long eventTime) {
        this.eventId = eventId;
        this.userId = userId;
        this.sessionId = sessionId;
        this.page = page;
        this.action = action;
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClickEvent)) {
            return false;
        }
        ClickEvent c = (ClickEvent) o;
        return eventTime == c.eventTime
                && Objects.equals(eventId, c.eventId)
                && Objects.equals(userId, c.userId)
                && Objects.equals(sessionId, c.sessionId)
                && Objects.equals(page, c.page)
                && action == c.action;
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, userId, eventTime);
    }

    @Override
    public String toString() {
        return "ClickEvent{"
                + eventId
                + ", user="
                + userId
                + ", session="
                + sessionId
                + ", "
                + action
                + " "
                + page
                + ", t="
                + eventTime
                + '}';
    }
}
