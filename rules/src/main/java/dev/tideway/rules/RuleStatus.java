package dev.tideway.rules;

import java.util.Objects;

/**
 * What the engine did with a rule it received on the control topic: a Flink POJO, published to the
 * rule-status topic so that whoever published a rule can see it running or why it was not.
 */
public class RuleStatus {
    /** The rule now runs (from {@link #activeFrom}, epoch millis, when set). */
    public static final String ACTIVE = "ACTIVE";

    /** The rule was removed, and its partial matches dropped. */
    public static final String REMOVED = "REMOVED";

    /** Nothing changed: the reason says why; the running rules go on as they were. */
    public static final String REJECTED = "REJECTED";

    /** The rule id, or null when it could not be read. */
    public String ruleId;

    public int version;
    public String status;
    public String reason;

    /** Event time from which the version applies, or Long.MIN_VALUE for as soon as it arrived. */
    public long activeFrom = Long.MIN_VALUE;

    /** Wall-clock time the engine handled the update, epoch millis. */
    public long handledAt;

    /** The update as received (truncated to 2,000 characters). */
    public String received;

    public RuleStatus() {}

    public RuleStatus(
            String ruleId,
            int version,
            String status,
            String reason,
            long activeFrom,
            long handledAt,
            String received) {
        this.ruleId = ruleId;
        this.version = version;
        this.status = status;
        this.reason = reason;
        this.activeFrom = activeFrom;
        this.handledAt = handledAt;
        this.received =
                received != null && received.length() > 2000
                        ? received.substring(0, 2000)
                        : received;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleStatus)) {
            return false;
        }
        RuleStatus s = (RuleStatus) o;
        return version == s.version
                && activeFrom == s.activeFrom
                && handledAt == s.handledAt
                && Objects.equals(ruleId, s.ruleId)
                && Objects.equals(status, s.status)
                && Objects.equals(reason, s.reason)
                && Objects.equals(received, s.received);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, version, status);
    }

    @Override
    public String toString() {
        return "RuleStatus{"
                + ruleId
                + " v"
                + version
                + " "
                + status
                + (reason == null ? "" : ": " + reason)
                + '}';
    }
}
