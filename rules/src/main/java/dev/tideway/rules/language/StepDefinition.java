package dev.tideway.rules.language;

import java.io.Serializable;

/**
 * One step of a rule: the condition an event must meet, how many times in a row, and how it relates
 * to the event before it.
 */
public record StepDefinition(String name, String where, int times, Contiguity contiguity)
        implements Serializable {}
