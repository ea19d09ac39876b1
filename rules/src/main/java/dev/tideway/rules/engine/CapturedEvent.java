package dev.tideway.rules.engine;

import dev.tideway.rules.expression.EventView;

/**
 * An event a partial match took, reduced to the fields the rule reads later (its id and time
 * always). {@code values} is indexed by schema field; fields not kept are null. A text read from a
 * stored state stays a {@link StoredText} until it is read.
 */
final class CapturedEvent implements EventView {
    final int step;
    final long seq;
    final Object[] values;

    CapturedEvent(int step, long seq, Object[] values) {
        this.step = step;
        this.seq = seq;
        this.values = values;
    }

    @Override
    public double number(int field) {
        return (Double) values[field];
    }

    @Override
    public String text(int field) {
        Object value = values[field];
        if (value instanceof StoredText) {
            // Decoded once, when first read.
            String text = ((StoredText) value).decode();
            values[field] = text;
            return text;
        }
        return (String) value;
    }

    @Override
    public boolean bool(int field) {
        return (Boolean) values[field];
    }
}
