package dev.tideway.rules.expression;

/** The three kinds of value a rule can compare: numbers are doubles, text is a string. */
public enum FieldType {
    NUMBER,
    TEXT,
    BOOLEAN;

    String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
