package dev.tideway.rules;

import dev.tideway.rules.expression.EventSchema;
import dev.tideway.rules.expression.EventView;
import dev.tideway.rules.expression.Expr;
import dev.tideway.rules.expression.ExpressionParser;
import dev.tideway.rules.expression.FieldType;
import dev.tideway.rules.language.Contiguity;
import dev.tideway.rules.language.InvalidRuleException;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.StepDefinition;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule checked against a job's event fields and ready to run: one compiled condition per step,
 * the flat list of stages the engine walks (a step taken N times is N stages), and which fields a
 * partial match must keep of the events it took (only those later conditions or the alert text
 * read, plus id and time).
 */
public final class CompiledRule implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)}");

    private final RuleDefinition definition;
    private final Expr[] conditions;
    private final Expr absent;
    private final int[] stageStep;
    private final int[] stageRepetition;
    private final int[] capturedFields;
    private final List<Object> detailParts;

    private CompiledRule(
            RuleDefinition definition,
            Expr[] conditions,
            Expr absent,
            int[] stageStep,
            int[] stageRepetition,
            int[] capturedFields,
            List<Object> detailParts) {
        this.definition = definition;
        this.conditions = conditions;
        this.absent = absent;
        this.stageStep = stageStep;
        this.stageRepetition = stageRepetition;
        this.capturedFields = capturedFields;
        this.detailParts = detailParts;
    }

    /** Compiles a rule (not a removal) for events of {@code schema}. */
    public static CompiledRule compile(RuleDefinition rule, EventSchema<?> schema) {
        if (rule.remove()) {
            throw new IllegalArgumentException("a removal does not compile: " + rule.id());
        }
        if (!schema.keyField().equals(rule.key())) {
            throw new InvalidRuleException(
                    rule.id(),
                    "\"key\" is \""
                            + rule.key()
                            + "\", but this job groups its events by \""
                            + schema.keyField()
                            + "\"");
        }
        List<StepDefinition> steps = rule.steps();
        Set<Integer> captured = new TreeSet<>();
        captured.add(schema.indexOf(EventSchema.EVENT_ID));
        captured.add(schema.indexOf(EventSchema.EVENT_TIME));
        Expr[] conditions = new Expr[steps.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            conditions[i] = condition(rule, schema, names, steps.get(i), captured);
            names.add(steps.get(i).name());
        }
        Expr absent =
                rule.absent() == null
                        ? null
                        : condition(rule, schema, names, rule.absent(), captured);
        int stages = steps.stream().mapToInt(StepDefinition::times).sum();
        int[] stageStep = new int[stages];
        int[] stageRepetition = new int[stages];
        int s = 0;
        for (int i = 0; i < steps.size(); i++) {
            for (int r = 0; r < steps.get(i).times(); r++, s++) {
                stageStep[s] = i;
                stageRepetition[s] = r;
            }
        }
        List<Object> detail = detail(rule, schema, names, captured);
        return new CompiledRule(
                rule,
                conditions,
                absent,
                stageStep,
                stageRepetition,
                captured.stream().mapToInt(Integer::intValue).toArray(),
                detail);
    }

    private static Expr condition(
            RuleDefinition rule,
            EventSchema<?> schema,
            List<String> earlier,
            StepDefinition step,
            Set<Integer> captured) {
        try {
            ExpressionParser.Parsed parsed =
                    ExpressionParser.condition(schema, List.copyOf(earlier), step.where());
            captured.addAll(parsed.fieldsOfEarlierSteps());
            return parsed.expr();
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException(
                    rule.id(), "step \"" + step.name() + "\": " + e.getMessage());
        }
    }

    /** The alert text: literal parts and {step.field} placeholders as (step, field) pairs. */
    private static List<Object> detail(
            RuleDefinition rule, EventSchema<?> schema, List<String> names, Set<Integer> captured) {
        String template = rule.detail();
        if (template == null) {
            template =
                    String.join(" then ", names)
                            + (rule.absent() == null ? "" : " without " + rule.absent().name())
                            + " within "
                            + rule.within().toString().substring(2).toLowerCase();
        }
        List<Object> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            parts.add(template.substring(last, m.start()));
            int step = names.indexOf(m.group(1));
            int field = schema.indexOf(m.group(2));
            if (step < 0 || field < 0) {
                throw new InvalidRuleException(
                        rule.id(),
                        "\"detail\" refers to {"
                                + m.group(1)
                                + "."
                                + m.group(2)
                                + "}: write {step.field} with a step of this rule and one of "
                                + String.join(", ", schema.names()));
            }
            captured.add(field);
            parts.add(new int[] {step, field});
            last = m.end();
        }
        parts.add(template.substring(last));
        return parts;
    }

    public RuleDefinition definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    public int version() {
        return definition.version();
    }

    public long withinMillis() {
        return definition.within().toMillis();
    }

    public long activeFrom() {
        return definition.activeFrom();
    }

    public int steps() {
        return conditions.length;
    }

    public String stepName(int step) {
        return definition.steps().get(step).name();
    }

    public int times(int step) {
        return definition.steps().get(step).times();
    }

    public Contiguity contiguity(int step) {
        return definition.steps().get(step).contiguity();
    }

    public Expr condition(int step) {
        return conditions[step];
    }

    /** The absence condition, or null. */
    public Expr absent() {
        return absent;
    }

    public boolean hasAbsent() {
        return absent != null;
    }

    public String absentName() {
        return definition.absent() == null ? null : definition.absent().name();
    }

    /** Stages: a partial at stage s waits for the event of step stageStep(s). */
    public int stages() {
        return stageStep.length;
    }

    public int stageStep(int stage) {
        return stageStep[stage];
    }

    public int stageRepetition(int stage) {
        return stageRepetition[stage];
    }

    public int[] capturedFields() {
        return capturedFields;
    }

    /**
     * Whether a partial waiting at {@code stage} may skip a non-matching event. flink-cep: at a
     * step's first repetition its own contiguity decides; between repetitions the inner one, which
     * this language ties to the same setting ({@code next} = consecutive).
     */
    public boolean mayIgnoreAt(int stage) {
        return contiguity(stageStep[stage]) == Contiguity.FOLLOWED_BY;
    }

    /**
     * Whether an event matching the absence condition ends a partial waiting at {@code stage}.
     * flink-cep adds this stop edge to the repetitions after the first of the last step.
     */
    public boolean absenceStopsAt(int stage) {
        return absent != null
                && stageStep[stage] == conditions.length - 1
                && stageRepetition[stage] > 0;
    }

    /**
     * The alert text for a match.
     *
     * @param lastOfStep the last event each step took
     */
    public String detail(EventSchema<?> schema, EventView[] lastOfStep) {
        StringBuilder out = new StringBuilder();
        for (Object part : detailParts) {
            if (part instanceof String) {
                out.append((String) part);
            } else {
                int[] ref = (int[]) part;
                EventView e = lastOfStep[ref[0]];
                FieldType type = schema.type(ref[1]);
                if (type == FieldType.NUMBER) {
                    out.append(format(e.number(ref[1])));
                } else if (type == FieldType.BOOLEAN) {
                    out.append(e.bool(ref[1]));
                } else {
                    out.append(e.text(ref[1]));
                }
            }
        }
        return out.toString();
    }

    private static String format(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return id() + " v" + version();
    }
}
