package dev.tideway.jobs.generator;

import java.util.List;

/**
 * A fraud the generator injected, and the alert it must cause.
 *
 * @param rule the rule that must report it
 * @param cardId the card
 * @param evidence the event ids the alert must name, in event-time order
 */
public record InjectedFraud(String rule, String cardId, List<String> evidence) {}
