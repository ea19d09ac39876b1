package dev.tideway.rules.language;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.util.TimeUtils;

/**
 * Reads rules from JSON: one rule object, or a rules file {@code {"rules": [ ... ]}}. Strict:
 * unknown fields, wrong types and impossible values are errors that name the field. Conditions are
 * checked later, against the job's event fields, by {@code CompiledRule}.
 */
public final class RuleParser {
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
    private static final Set<String> RULE_FIELDS =
            Set.of(
                    "language",
                    "id",
                    "version",
                    "description",
                    "key",
                    "within",
                    "steps",
                    "absent",
                    "activeFrom",
                    "detail",
                    "remove");
    private static final Set<String> STEP_FIELDS = Set.of("name", "where", "times", "contiguity");
    private static final Set<String> ABSENT_FIELDS = Set.of("name", "where");
    private static final Set<String> RESERVED = Set.of("this", "and", "or", "not", "true", "false");

    private RuleParser() {}

    /** Parses one rule (or removal) from its JSON text. */
    public static RuleDefinition parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidRuleException(null, "not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRuleException(null, "a rule must be a JSON object");
        }
        return parse((ObjectNode) node);
    }

    /** Parses a rules file: {@code {"rules": [rule, ...]}}, or a JSON array of rules. */
    public static List<RuleDefinition> parseFile(Path file) {
        try {
            return parseAll(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules file " + file, e);
        }
    }

    public static List<RuleDefinition> parseAll(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidRuleException(null, "not valid JSON: " + firstLine(e.getMessage()));
        }
        JsonNode list = node != null && node.isObject() ? node.get("rules") : node;
        if (list == null || !list.isArray()) {
            throw new InvalidRuleException(
                    null, "a rules file is {\"rules\": [ ... ]} or a JSON array of rules");
        }
        List<RuleDefinition> rules = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (JsonNode r : list) {
            if (!r.isObject()) {
                throw new InvalidRuleException(null, "each rule must be a JSON object");
            }
            RuleDefinition rule = parse((ObjectNode) r);
            if (!ids.add(rule.id())) {
                throw new InvalidRuleException(rule.id(), "appears twice in the rules file");
            }
            rules.add(rule);
        }
        return rules;
    }

    private static RuleDefinition parse(ObjectNode o) {
        String id = o.hasNonNull("id") && o.get("id").isTextual() ? o.get("id").asText() : null;
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidRuleException(
                    null,
                    "\"id\" must be text of letters, digits, '-', '_' or '.', at most 64 long");
        }
        unknownFields(id, o, RULE_FIELDS, "a rule");
        if (o.has("language")) {
            if (!o.get("language").canConvertToInt()
                    || o.get("language").asInt() != RuleDefinition.LANGUAGE_VERSION) {
                throw new InvalidRuleException(
                        id,
                        "\"language\" is "
                                + o.get("language")
                                + "; this engine reads language "
                                + RuleDefinition.LANGUAGE_VERSION);
            }
        }
        int version = o.has("version") ? positiveInt(id, o, "version") : 0;
        if (o.has("remove")) {
            if (!o.get("remove").isBoolean() || !o.get("remove").asBoolean()) {
                throw new InvalidRuleException(id, "\"remove\" must be true when present");
            }
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("id", "version", "remove", "language", "description").contains(f)) {
                    throw new InvalidRuleException(
                            id, "a removal has only id, version and remove; found \"" + f + "\"");
                }
            }
            ObjectNode canonical = JSON.createObjectNode().put("id", id);
            if (version > 0) {
                canonical.put("version", version);
            }
            canonical.put("remove", true);
            return new RuleDefinition(
                    id,
                    version,
                    null,
                    null,
                    List.of(),
                    null,
                    Long.MIN_VALUE,
                    null,
                    true,
                    canonical.toString());
        }
        if (version == 0) {
            throw new InvalidRuleException(id, "\"version\" is required (a whole number >= 1)");
        }
        String key = text(id, o, "key", true);
        Duration within = duration(id, o);
        JsonNode stepsNode = o.get("steps");
        if (stepsNode == null || !stepsNode.isArray() || stepsNode.isEmpty()) {
            throw new InvalidRuleException(id, "\"steps\" must be a non-empty list of steps");
        }
        List<StepDefinition> steps = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < stepsNode.size(); i++) {
            StepDefinition step = step(id, stepsNode.get(i), i);
            if (!names.add(step.name())) {
                throw new InvalidRuleException(id, "two steps are named \"" + step.name() + "\"");
            }
            steps.add(step);
        }
        if (steps.size() > 16) {
            throw new InvalidRuleException(id, "at most 16 steps, found " + steps.size());
        }
        StepDefinition absent = null;
        if (o.has("absent")) {
            absent = absent(id, o.get("absent"));
            if (names.contains(absent.name())) {
                throw new InvalidRuleException(
                        id, "the absent part is named like a step: \"" + absent.name() + "\"");
            }
        }
        long activeFrom =
                o.has("activeFrom") ? activeFrom(id, o.get("activeFrom")) : Long.MIN_VALUE;
        String detail = o.has("detail") ? text(id, o, "detail", false) : null;
        return new RuleDefinition(
                id,
                version,
                key,
                within,
                List.copyOf(steps),
                absent,
                activeFrom,
                detail,
                false,
                canonical(o));
    }

    private static StepDefinition step(String id, JsonNode node, int index) {
        if (!node.isObject()) {
            throw new InvalidRuleException(id, "step " + (index + 1) + " must be a JSON object");
        }
        ObjectNode s = (ObjectNode) node;
        unknownFields(id, s, STEP_FIELDS, "a step");
        String name = s.has("name") ? text(id, s, "name", true) : "step" + (index + 1);
        checkName(id, name);
        String where = text(id, s, "where", true);
        int times = s.has("times") ? positiveInt(id, s, "times") : 1;
        if (times > 1000) {
            throw new InvalidRuleException(id, "\"times\" is at most 1000, was " + times);
        }
        Contiguity contiguity =
                s.has("contiguity")
                        ? Contiguity.parse(id, text(id, s, "contiguity", true))
                        : Contiguity.FOLLOWED_BY;
        return new StepDefinition(name, where, times, contiguity);
    }

    private static StepDefinition absent(String id, JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidRuleException(id, "\"absent\" must be an object with \"where\"");
        }
        ObjectNode a = (ObjectNode) node;
        unknownFields(id, a, ABSENT_FIELDS, "\"absent\"");
        String name = a.has("name") ? text(id, a, "name", true) : "absent";
        checkName(id, name);
        return new StepDefinition(name, text(id, a, "where", true), 1, Contiguity.FOLLOWED_BY);
    }

    private static void checkName(String id, String name) {
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new InvalidRuleException(
                    id,
                    "step name \""
                            + name
                            + "\" must be a word of letters, digits and '_' (not this, and, or,"
                            + " not, true, false)");
        }
    }

    private static Duration duration(String id, ObjectNode o) {
        String text = text(id, o, "within", true);
        Duration d;
        try {
            d = text.startsWith("P") ? Duration.parse(text) : TimeUtils.parseDuration(text);
        } catch (RuntimeException e) {
            throw new InvalidRuleException(
                    id,
                    "\"within\" is not a duration: \"" + text + "\" (try \"5 min\" or \"PT5M\")");
        }
        if (d.isNegative() || d.isZero()) {
            throw new InvalidRuleException(id, "\"within\" must be positive, was " + text);
        }
        return d;
    }

    private static long activeFrom(String id, JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Instant.parse(n.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through to the error
            }
        }
        throw new InvalidRuleException(
                id,
                "\"activeFrom\" must be an ISO-8601 instant such as \"2026-12-01T12:00:00Z\" or"
                        + " epoch milliseconds, was "
                        + n);
    }

    private static int positiveInt(String id, ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
            throw new InvalidRuleException(
                    id, "\"" + field + "\" must be a whole number >= 1, was " + n);
        }
        return n.asInt();
    }

    private static String text(String id, ObjectNode o, String field, boolean nonBlank) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || (nonBlank && n.asText().isBlank())) {
            throw new InvalidRuleException(
                    id, "\"" + field + "\" must be " + (nonBlank ? "non-empty " : "") + "text");
        }
        return n.asText();
    }

    private static void unknownFields(String id, ObjectNode o, Set<String> known, String what) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new InvalidRuleException(
                        id,
                        "unknown field \""
                                + f
                                + "\" in "
                                + what
                                + "; known: "
                                + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static String canonical(ObjectNode o) {
        return o.toString();
    }

    /** The rules as a rules file, for scripts and tests. */
    public static String toFile(List<RuleDefinition> rules) {
        ArrayNode list = JSON.createArrayNode();
        for (RuleDefinition r : rules) {
            try {
                list.add(JSON.readTree(r.json()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return JSON.createObjectNode().set("rules", list).toPrettyString();
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
