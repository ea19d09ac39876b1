package dev.tideway.rules.expression;

import java.io.Serializable;

/**
 * A compiled expression: a tree of small nodes, type-checked when it was built, evaluated without
 * allocation. Each node answers only for its own type ({@link #type()}).
 */
public abstract class Expr implements Serializable {
    private static final long serialVersionUID = 1L;

    final FieldType type;

    Expr(FieldType type) {
        this.type = type;
    }

    public FieldType type() {
        return type;
    }

    public double number(Bindings b) {
        throw new IllegalStateException("not a number: " + this);
    }

    public boolean bool(Bindings b) {
        throw new IllegalStateException("not a condition: " + this);
    }

    public String text(Bindings b) {
        throw new IllegalStateException("not text: " + this);
    }

    static final class NumberLiteral extends Expr {
        private final double value;

        NumberLiteral(double value) {
            super(FieldType.NUMBER);
            this.value = value;
        }

        @Override
        public double number(Bindings b) {
            return value;
        }
    }

    static final class TextLiteral extends Expr {
        private final String value;

        TextLiteral(String value) {
            super(FieldType.TEXT);
            this.value = value;
        }

        @Override
        public String text(Bindings b) {
            return value;
        }
    }

    static final class BoolLiteral extends Expr {
        private final boolean value;

        BoolLiteral(boolean value) {
            super(FieldType.BOOLEAN);
            this.value = value;
        }

        @Override
        public boolean bool(Bindings b) {
            return value;
        }
    }

    /** A field of the current event (step -1) or of the last event of an earlier step. */
    static final class Field extends Expr {
        final int step;
        final int field;

        Field(int step, int field, FieldType type) {
            super(type);
            this.step = step;
            this.field = field;
        }

        private EventView view(Bindings b) {
            return step < 0 ? b.current() : b.step(step);
        }

        @Override
        public double number(Bindings b) {
            return view(b).number(field);
        }

        @Override
        public boolean bool(Bindings b) {
            return view(b).bool(field);
        }

        @Override
        public String text(Bindings b) {
            return view(b).text(field);
        }
    }

    enum CompareOp {
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        final String symbol;

        CompareOp(String symbol) {
            this.symbol = symbol;
        }

        boolean test(int comparison) {
            switch (this) {
                case EQ:
                    return comparison == 0;
                case NE:
                    return comparison != 0;
                case LT:
                    return comparison < 0;
                case LE:
                    return comparison <= 0;
                case GT:
                    return comparison > 0;
                default:
                    return comparison >= 0;
            }
        }
    }

    static final class Compare extends Expr {
        private final CompareOp op;
        private final Expr left;
        private final Expr right;

        Compare(CompareOp op, Expr left, Expr right) {
            super(FieldType.BOOLEAN);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean bool(Bindings b) {
            switch (left.type) {
                case NUMBER:
                    double l = left.number(b);
                    double r = right.number(b);
                    // NaN compares false with everything but !=, as in Java.
                    if (Double.isNaN(l) || Double.isNaN(r)) {
                        return op == CompareOp.NE;
                    }
                    return op.test(Double.compare(l, r) == 0 ? 0 : (l < r ? -1 : 1));
                case BOOLEAN:
                    return op.test(left.bool(b) == right.bool(b) ? 0 : 1);
                default:
                    String ls = left.text(b);
                    String rs = right.text(b);
                    return op.test(ls == null ? (rs == null ? 0 : 1) : (ls.equals(rs) ? 0 : 1));
            }
        }
    }

    static final class And extends Expr {
        private final Expr left;
        private final Expr right;

        And(Expr left, Expr right) {
            super(FieldType.BOOLEAN);
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean bool(Bindings b) {
            return left.bool(b) && right.bool(b);
        }
    }

    static final class Or extends Expr {
        private final Expr left;
        private final Expr right;

        Or(Expr left, Expr right) {
            super(FieldType.BOOLEAN);
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean bool(Bindings b) {
            return left.bool(b) || right.bool(b);
        }
    }

    static final class Not extends Expr {
        private final Expr inner;

        Not(Expr inner) {
            super(FieldType.BOOLEAN);
            this.inner = inner;
        }

        @Override
        public boolean bool(Bindings b) {
            return !inner.bool(b);
        }
    }

    static final class Arithmetic extends Expr {
        private final char op;
        private final Expr left;
        private final Expr right;

        Arithmetic(char op, Expr left, Expr right) {
            super(FieldType.NUMBER);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        public double number(Bindings b) {
            double l = left.number(b);
            double r = right.number(b);
            switch (op) {
                case '+':
                    return l + r;
                case '-':
                    return l - r;
                case '*':
                    return l * r;
                default:
                    return l / r;
            }
        }
    }

    static final class Negate extends Expr {
        private final Expr inner;

        Negate(Expr inner) {
            super(FieldType.NUMBER);
            this.inner = inner;
        }

        @Override
        public double number(Bindings b) {
            return -inner.number(b);
        }
    }

    static final class Abs extends Expr {
        private final Expr inner;

        Abs(Expr inner) {
            super(FieldType.NUMBER);
            this.inner = inner;
        }

        @Override
        public double number(Bindings b) {
            return Math.abs(inner.number(b));
        }
    }

    /** Functions of two events: great-circle distance, elapsed time and the speed between them. */
    static final class BetweenEvents extends Expr {
        enum Kind {
            DISTANCE_KM,
            MINUTES,
            SPEED_KMH
        }

        private final Kind kind;
        private final Field fromLat;
        private final Field fromLon;
        private final Field fromTime;
        private final Field toLat;
        private final Field toLon;
        private final Field toTime;

        BetweenEvents(
                Kind kind,
                Field fromLat,
                Field fromLon,
                Field fromTime,
                Field toLat,
                Field toLon,
                Field toTime) {
            super(FieldType.NUMBER);
            this.kind = kind;
            this.fromLat = fromLat;
            this.fromLon = fromLon;
            this.fromTime = fromTime;
            this.toLat = toLat;
            this.toLon = toLon;
            this.toTime = toTime;
        }

        @Override
        public double number(Bindings b) {
            double minutes = (toTime.number(b) - fromTime.number(b)) / 60_000.0;
            if (kind == Kind.MINUTES) {
                return minutes;
            }
            double km =
                    dev.tideway.common.model.Geo.distanceKm(
                            fromLat.number(b), fromLon.number(b), toLat.number(b), toLon.number(b));
            if (kind == Kind.DISTANCE_KM) {
                return km;
            }
            double hours = Math.abs(minutes) / 60.0;
            return hours > 0 ? km / hours : (km > 0 ? Double.POSITIVE_INFINITY : 0);
        }
    }
}
