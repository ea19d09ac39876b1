package dev.tideway.common.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A finding of a rule: which rule, on which key (a card, a sensor, a user), and the ids of the
 * events that are its evidence. A Flink POJO.
 */
public class Alert {
    /** Deterministic id (rule, key, evidence), so that consumers can recognise a repeat. */
    public String alertId;

    public String rule;
    public String key;
    public List<String> evidence = new ArrayList<>();

    /** Human-readable explanation, such as "3 declines within PT10M". */
    public String detail;

    /** Event time of the event that completed the pattern, epoch milliseconds. */
    public long eventTime;

    /** Wall-clock time at which the alert was produced, epoch milliseconds. */
    public long detectedAt;

    public Alert() {}

    public Alert(
            String rule,
            String key,
            List<String> evidence,
            String detail,
            long eventTime,
            long detectedAt) {
        this.rule = rule;
        this.key = key;
        this.evidence = new ArrayList<>(evidence);
        this.detail = detail;
        this.eventTime = eventTime;
        this.detectedAt = detectedAt;
        this.alertId = rule + ":" + key + ":" + String.join(",", evidence);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return eventTime == a.eventTime
                && detectedAt == a.detectedAt
                && Objects.equals(alertId, a.alertId)
                && Objects.equals(rule, a.rule)
                && Objects.equals(key, a.key)
                && Objects.equals(evidence, a.evidence)
                && Objects.equals(detail, a.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId);
    }

    @Override
    public String toString() {
        return "Alert{" + rule + ", key=" + key + ", evidence=" + evidence + ", " + detail + '}';
    }
}
