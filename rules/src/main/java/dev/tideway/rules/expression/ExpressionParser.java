package dev.tideway.rules.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses and type-checks a rule condition such as {@code amount >= 500 and not declined} or {@code
 * distanceKm(from, this) >= 100 and speedKmh(from, this) > 900}.
 *
 * <pre>
 * or      := and ('or' and)*
 * and     := not ('and' not)*
 * not     := 'not' not | compare
 * compare := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
 * sum     := product (('+'|'-') product)*
 * product := unary (('*'|'/') unary)*
 * unary   := '-' unary | primary
 * primary := number | 'text' | true | false | '(' or ')' | field | step '.' field
 *          | abs(sum) | distanceKm(ev, ev) | speedKmh(ev, ev) | minutesBetween(ev, ev)
 * ev      := 'this' | step
 * </pre>
 *
 * A bare field is the event being tested; {@code step.field} is the last event an earlier step
 * took. Errors name the position and what was expected.
 */
public final class ExpressionParser {
    private final EventSchema<?> schema;
    private final List<String> earlierSteps;
    private final String source;
    private final Set<Integer> referencedStepFields = new TreeSet<>();
    private final List<Token> tokens;
    private int at;

    private ExpressionParser(EventSchema<?> schema, List<String> earlierSteps, String source) {
        this.schema = schema;
        this.earlierSteps = earlierSteps;
        this.source = source;
        this.tokens = tokenize(source);
    }

    /** A parsed condition and the fields it reads from earlier steps' events. */
    public record Parsed(Expr expr, Set<Integer> fieldsOfEarlierSteps) {}

    /**
     * Parses a condition (a boolean expression).
     *
     * @param earlierSteps names of the steps before this one, which it may refer to
     * @throws IllegalArgumentException with the position and the reason
     */
    public static Parsed condition(EventSchema<?> schema, List<String> earlierSteps, String text) {
        ExpressionParser p = new ExpressionParser(schema, earlierSteps, text);
        Expr e = p.or();
        if (p.peek().kind != Kind.END) {
            throw p.error("expected the end of the condition", p.peek());
        }
        if (e.type != FieldType.BOOLEAN) {
            throw p.error("a condition must be true or false, this is " + e.type.lower(), null);
        }
        return new Parsed(e, p.referencedStepFields);
    }

    private Expr or() {
        Expr left = and();
        while (acceptWord("or")) {
            left = new Expr.Or(bool(left), bool(and()));
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (acceptWord("and")) {
            left = new Expr.And(bool(left), bool(not()));
        }
        return left;
    }

    private Expr not() {
        if (acceptWord("not")) {
            return new Expr.Not(bool(not()));
        }
        return compare();
    }

    private Expr compare() {
        Expr left = sum();
        Token t = peek();
        if (t.kind == Kind.SYMBOL) {
            Expr.CompareOp op = compareOp(t.text);
            if (op != null) {
                at++;
                Expr right = sum();
                if (left.type != right.type) {
                    throw error(
                            "cannot compare " + left.type.lower() + " with " + right.type.lower(),
                            t);
                }
                if (left.type != FieldType.NUMBER
                        && op != Expr.CompareOp.EQ
                        && op != Expr.CompareOp.NE) {
                    throw error(left.type.lower() + " only compares with == and !=", t);
                }
                return new Expr.Compare(op, left, right);
            }
        }
        return left;
    }

    private static Expr.CompareOp compareOp(String symbol) {
        for (Expr.CompareOp op : Expr.CompareOp.values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        return null;
    }

    private Expr sum() {
        Expr left = product();
        while (peekSymbol("+") || peekSymbol("-")) {
            char op = tokens.get(at++).text.charAt(0);
            left = new Expr.Arithmetic(op, number(left), number(product()));
        }
        return left;
    }

    private Expr product() {
        Expr left = unary();
        while (peekSymbol("*") || peekSymbol("/")) {
            char op = tokens.get(at++).text.charAt(0);
            left = new Expr.Arithmetic(op, number(left), number(unary()));
        }
        return left;
    }

    private Expr unary() {
        if (peekSymbol("-")) {
            at++;
            return new Expr.Negate(number(unary()));
        }
        return primary();
    }

    private Expr primary() {
        Token t = tokens.get(at++);
        switch (t.kind) {
            case NUMBER:
                return new Expr.NumberLiteral(Double.parseDouble(t.text));
            case TEXT:
                return new Expr.TextLiteral(t.text);
            case SYMBOL:
                if (t.text.equals("(")) {
                    Expr inner = or();
                    expectSymbol(")");
                    return inner;
                }
                throw error("expected a value", t);
            case WORD:
                return word(t);
            default:
                throw error("expected a value", t);
        }
    }

    private Expr word(Token t) {
        String w = t.text;
        if (w.equals("true") || w.equals("false")) {
            return new Expr.BoolLiteral(w.equals("true"));
        }
        if (peekSymbol("(")) {
            return function(t);
        }
        if (peekSymbol(".")) {
            at++;
            Token field = tokens.get(at++);
            if (field.kind != Kind.WORD) {
                throw error("expected a field name after '" + w + ".'", field);
            }
            return field(stepIndex(t), field);
        }
        return field(-1, t);
    }

    private Expr function(Token name) {
        expectSymbol("(");
        String fn = name.text;
        switch (fn) {
            case "abs":
                {
                    Expr inner = number(sum());
                    expectSymbol(")");
                    return new Expr.Abs(inner);
                }
            case "distanceKm":
            case "speedKmh":
            case "minutesBetween":
                {
                    int from = eventRef();
                    expectSymbol(",");
                    int to = eventRef();
                    expectSymbol(")");
                    Expr.BetweenEvents.Kind kind =
                            fn.equals("distanceKm")
                                    ? Expr.BetweenEvents.Kind.DISTANCE_KM
                                    : fn.equals("speedKmh")
                                            ? Expr.BetweenEvents.Kind.SPEED_KMH
                                            : Expr.BetweenEvents.Kind.MINUTES;
                    return new Expr.BetweenEvents(
                            kind,
                            builtIn(from, "latitude", name),
                            builtIn(from, "longitude", name),
                            builtIn(from, EventSchema.EVENT_TIME, name),
                            builtIn(to, "latitude", name),
                            builtIn(to, "longitude", name),
                            builtIn(to, EventSchema.EVENT_TIME, name));
                }
            default:
                throw error(
                        "unknown function "
                                + fn
                                + "; known: abs, distanceKm, speedKmh, minutesBetween",
                        name);
        }
    }

    private int eventRef() {
        Token t = tokens.get(at++);
        if (t.kind != Kind.WORD) {
            throw error("expected 'this' or the name of an earlier step", t);
        }
        return t.text.equals("this") ? -1 : stepIndex(t);
    }

    private Expr.Field builtIn(int step, String fieldName, Token at) {
        int field = schema.indexOf(fieldName);
        if (field < 0 || schema.type(field) != FieldType.NUMBER) {
            throw error(at.text + " needs a number field " + fieldName + " in the events", at);
        }
        return reference(step, field);
    }

    private int stepIndex(Token t) {
        int i = earlierSteps.indexOf(t.text);
        if (i < 0) {
            throw error(
                    "'"
                            + t.text
                            + "' is not an earlier step"
                            + (earlierSteps.isEmpty()
                                    ? " (the first step can only test its own event)"
                                    : "; earlier steps: " + String.join(", ", earlierSteps)),
                    t);
        }
        return i;
    }

    private Expr field(int step, Token t) {
        int field = schema.indexOf(t.text);
        if (field < 0) {
            throw error(
                    "unknown field '" + t.text + "'; fields: " + String.join(", ", schema.names()),
                    t);
        }
        return reference(step, field);
    }

    private Expr.Field reference(int step, int field) {
        if (step >= 0) {
            referencedStepFields.add(field);
        }
        return new Expr.Field(step, field, schema.type(field));
    }

    private Expr bool(Expr e) {
        if (e.type != FieldType.BOOLEAN) {
            throw error("and/or/not need true or false, found " + e.type.lower(), null);
        }
        return e;
    }

    private Expr number(Expr e) {
        if (e.type != FieldType.NUMBER) {
            throw error("arithmetic needs numbers, found " + e.type.lower(), null);
        }
        return e;
    }

    private boolean acceptWord(String word) {
        Token t = peek();
        if (t.kind == Kind.WORD && t.text.equals(word)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean peekSymbol(String s) {
        Token t = peek();
        return t.kind == Kind.SYMBOL && t.text.equals(s);
    }

    private void expectSymbol(String s) {
        Token t = tokens.get(at);
        if (!(t.kind == Kind.SYMBOL && t.text.equals(s))) {
            throw error("expected '" + s + "'", t);
        }
        at++;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private IllegalArgumentException error(String message, Token t) {
        int position = t == null ? tokens.get(Math.max(0, at - 1)).position : t.position;
        String found =
                t == null
                        ? ""
                        : t.kind == Kind.END ? ", found the end" : ", found '" + t.text + "'";
        return new IllegalArgumentException(
                message + found + " at position " + (position + 1) + " of \"" + source + "\"");
    }

    private enum Kind {
        NUMBER,
        TEXT,
        WORD,
        SYMBOL,
        END
    }

    private record Token(Kind kind, String text, int position) {}

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                String number = s.substring(start, i);
                if (number.indexOf('.') != number.lastIndexOf('.') || number.endsWith(".")) {
                    throw new IllegalArgumentException(
                            "malformed number '" + number + "' at position " + (start + 1));
                }
                out.add(new Token(Kind.NUMBER, number, start));
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "unterminated text starting at position "
                                    + (i + 1)
                                    + " of \""
                                    + s
                                    + "\"");
                }
                out.add(new Token(Kind.TEXT, s.substring(i + 1, end), i));
                i = end + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length()
                        && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                String word = s.substring(start, i);
                String lower = word.toLowerCase(Locale.ROOT);
                boolean keyword = Set.of("and", "or", "not", "true", "false").contains(lower);
                out.add(new Token(Kind.WORD, keyword ? lower : word, start));
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (Set.of("==", "!=", "<=", ">=").contains(two)) {
                    out.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("<>()+-*/.,".indexOf(c) >= 0) {
                    out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new IllegalArgumentException(
                            "unexpected character '"
                                    + c
                                    + "' at position "
                                    + (i + 1)
                                    + " of \""
                                    + s
                                    + "\"");
                }
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }
}
