package dev.tideway.rules.language;

/**
 * How a step relates to the event before it (and, for a step taken N times, its repetitions to each
 * other): {@code next} means the very next event of the key must match, or the partial match ends;
 * {@code followedBy} skips events that do not match (flink-cep's relaxed contiguity).
 */
public enum Contiguity {
    NEXT("next"),
    FOLLOWED_BY("followedBy");

    public final String json;

    Contiguity(String json) {
        this.json = json;
    }

    static Contiguity parse(String ruleId, String text) {
        for (Contiguity c : values()) {
            if (c.json.equals(text)) {
                return c;
            }
        }
        throw new InvalidRuleException(
                ruleId, "contiguity must be \"next\" or \"followedBy\", was \"" + text + "\"");
    }
}
