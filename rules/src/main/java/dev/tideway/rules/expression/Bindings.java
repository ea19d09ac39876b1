package dev.tideway.rules.expression;

/** What an expression can see: the event being tested, and the last event of earlier steps. */
public interface Bindings {
    EventView current();

    /** The last event taken by step {@code step} of the partial match. */
    EventView step(int step);
}
