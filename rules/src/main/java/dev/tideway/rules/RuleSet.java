package dev.tideway.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.language.InvalidRuleException;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules an engine runs, by id, and how updates change them:
 *
 * <ul>
 *   <li>a new version must have a higher version number than the running one;
 *   <li>with {@code activeFrom}, the previous version keeps deciding events before that event time,
 *       so a change takes effect at an exact point of the stream; without it, the new version
 *       decides every event processed after it arrived;
 *   <li>a removal stops the rule; its id can come back only with a higher version;
 *   <li>an invalid update is rejected and changes nothing.
 * </ul>
 *
 * Each entry is kept as JSON ({@link #entryJson}) in the operator's broadcast state, so the rule
 * set survives failures and restarts.
 */
public final class RuleSet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventSchema<?> schema;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Current version (null once removed), the one it replaces until activeFrom, tombstone. */
    private record Entry(CompiledRule current, CompiledRule previous, int removedVersion) {}

    public RuleSet(EventSchema<?> schema) {
        this.schema = schema;
    }

    /** The outcome of one update. */
    public record Outcome(String ruleId, int version, String status, String reason) {}

    /** Applies an update received as JSON text. */
    public Outcome apply(String json) {
        RuleDefinition rule;
        try {
            rule = RuleParser.parse(json);
        } catch (InvalidRuleException e) {
            return new Outcome(e.ruleId(), 0, RuleStatus.REJECTED, e.reason());
        }
        return apply(rule);
    }

    public Outcome apply(RuleDefinition rule) {
        Entry existing = entries.get(rule.id());
        if (rule.remove()) {
            if (existing == null || existing.current == null) {
                return rejected(rule, "there is no running rule " + rule.id() + " to remove");
            }
            int removed = Math.max(existing.current.version(), rule.version());
            entries.put(rule.id(), new Entry(null, null, removed));
            return new Outcome(rule.id(), removed, RuleStatus.REMOVED, null);
        }
        CompiledRule compiled;
        try {
            compiled = CompiledRule.compile(rule, schema);
        } catch (InvalidRuleException e) {
            return rejected(rule, e.reason());
        }
        if (existing != null
                && existing.current != null
                && rule.version() <= existing.current.version()) {
            return rejected(
                    rule,
                    "version "
                            + rule.version()
                            + " is not newer than the running version "
                            + existing.current.version()
                            + "; publish it with a higher \"version\"");
        }
        if (existing != null
                && existing.current == null
                && rule.version() <= existing.removedVersion) {
            return rejected(
                    rule,
                    "the rule was removed at version "
                            + existing.removedVersion
                            + "; publish a higher \"version\" to add it again");
        }
        CompiledRule previous = rule.hasActiveFrom() && existing != null ? existing.current : null;
        entries.put(rule.id(), new Entry(compiled, previous, 0));
        return new Outcome(rule.id(), rule.version(), RuleStatus.ACTIVE, null);
    }

    private static Outcome rejected(RuleDefinition rule, String reason) {
        return new Outcome(rule.id(), rule.version(), RuleStatus.REJECTED, reason);
    }

    /** The rule ids known, running or not. */
    public Collection<String> ids() {
        return entries.keySet();
    }

    /** The version of rule {@code id} that decides an event at {@code eventTime}, or null. */
    public CompiledRule forEventTime(String id, long eventTime) {
        Entry e = entries.get(id);
        if (e == null || e.current == null) {
            return null;
        }
        return e.current.activeFrom() <= eventTime ? e.current : e.previous;
    }

    /** Rule {@code id} at {@code version}, if it is still known. */
    public CompiledRule version(String id, int version) {
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        if (e.current != null && e.current.version() == version) {
            return e.current;
        }
        return e.previous != null && e.previous.version() == version ? e.previous : null;
    }

    /** Whether rule {@code id} runs (is not removed or unknown). */
    public boolean isRunning(String id) {
        Entry e = entries.get(id);
        return e != null && e.current != null;
    }

    /**
     * Forgets previous versions whose successor's activeFrom the watermark has passed: no event
     * before it can come any more. Returns the ids whose entry changed.
     */
    public List<String> retirePrevious(long watermark) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (e.previous != null && e.current.activeFrom() <= watermark) {
                me.setValue(new Entry(e.current, null, 0));
                changed.add(me.getKey());
            }
        }
        return changed;
    }

    public List<CompiledRule> running() {
        List<CompiledRule> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.current != null) {
                out.add(e.current);
            }
        }
        return out;
    }

    /** The entry of {@code id} as JSON, for broadcast state. */
    public String entryJson(String id) {
        Entry e = entries.get(id);
        ObjectNode o = JSON.createObjectNode();
        try {
            if (e.current != null) {
                o.set("current", JSON.readTree(e.current.definition().json()));
            }
            if (e.previous != null) {
                o.set("previous", JSON.readTree(e.previous.definition().json()));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (e.removedVersion > 0) {
            o.put("removedVersion", e.removedVersion);
        }
        return o.toString();
    }

    /** Restores an entry written by {@link #entryJson}. */
    public void restore(String id, String entryJson) {
        try {
            JsonNode o = JSON.readTree(entryJson);
            CompiledRule current = compiled(o.get("current"));
            CompiledRule previous = compiled(o.get("previous"));
            int removed = o.has("removedVersion") ? o.get("removedVersion").asInt() : 0;
            entries.put(id, new Entry(current, previous, removed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidRuleException e) {
            throw new IllegalStateException(
                    "a rule restored from the checkpoint no longer compiles with this version"
                            + " of the job ("
                            + e.getMessage()
                            + "); publish a corrected rule with a higher version, or start"
                            + " without the checkpoint",
                    e);
        }
    }

    private CompiledRule compiled(JsonNode node) {
        return node == null
                ? null
                : CompiledRule.compile(RuleParser.parse(node.toString()), schema);
    }

    /** The rules as a map from id to entry JSON (tests). */
    public Map<String, String> snapshot() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : entries.keySet()) {
            out.put(id, entryJson(id));
        }
        return out;
    }
}
