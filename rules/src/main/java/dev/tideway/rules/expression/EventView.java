package dev.tideway.rules.expression;

/** Read access to one event's fields by index in its {@link EventSchema}. */
public interface EventView {
    double number(int field);

    String text(int field);

    boolean bool(int field);
}
