package dev.tideway.jobs.clicks;

import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.rules.expression.EventSchema;
import java.util.Locale;

/**
 * The fields of a click that rules can test, grouped by user. {@code action} is the wire name
 * ({@code view}, {@code add_to_cart}, {@code checkout}, {@code purchase}), as in the click JSON.
 */
public final class ClickEventFields {
    private static final String[] ACTIONS = new String[ClickAction.values().length];

    static {
        for (ClickAction a : ClickAction.values()) {
            ACTIONS[a.ordinal()] = a.name().toLowerCase(Locale.ROOT);
        }
    }

    private ClickEventFields() {}

    public static final EventSchema<ClickEvent> SCHEMA =
            EventSchema.<ClickEvent>builder("userId")
                    .text(EventSchema.EVENT_ID, c -> c.eventId)
                    .number(EventSchema.EVENT_TIME, c -> c.eventTime)
                    .text("userId", c -> c.userId)
                    .text("sessionId", c -> c.sessionId)
                    .text("page", c -> c.page)
                    .text("action", c -> ACTIONS[c.action.ordinal()])
                    .build();
}
