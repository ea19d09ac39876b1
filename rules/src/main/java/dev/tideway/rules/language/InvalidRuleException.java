package dev.tideway.rules.language;

/** A rule that cannot run, with a reason a person can act on. */
public class InvalidRuleException extends RuntimeException {
    private final String ruleId;

    public InvalidRuleException(String ruleId, String reason) {
        super((ruleId == null ? "rule" : "rule " + ruleId) + ": " + reason);
        this.ruleId = ruleId;
    }

    /** The id of the rule, or null when even that could not be read. */
    public String ruleId() {
        return ruleId;
    }

    /** The reason without the rule id in front. */
    public String reason() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }
}
