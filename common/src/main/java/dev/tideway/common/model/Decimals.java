package dev.tideway.common.model;

import com.fasterxml.jackson.core.io.NumberInput;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Conversions of decimal amounts. */
public final class Decimals {
    /** The powers of ten that a double holds exactly: 10^0 to 10^22. */
    private static final double[] EXACT_POWERS_OF_TEN = new double[23];

    static {
        double power = 1;
        for (int i = 0; i < EXACT_POWERS_OF_TEN.length; i++) {
            EXACT_POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private Decimals() {}

    /**
     * The same double as {@link BigDecimal#doubleValue()}, without its detour through text for
     * everyday amounts. On Java 17, {@code doubleValue} formats the number and parses the string (a
     * profile of the rules engine showed it on every rule test of an amount); JDK 19 added the fast
     * path taken here. When the unscaled value and the power of ten are both exact doubles, one
     * IEEE division rounds their exact quotient correctly, which is what parsing the decimal string
     * does too, so the result is identical; likewise one multiplication for a negative scale.
     */
    public static double toDouble(BigDecimal value) {
        int scale = value.scale();
        // A negative scale is common: the codec strips trailing zeros, so 120.00 becomes 1.2E+2.
        if (scale > -EXACT_POWERS_OF_TEN.length && scale < EXACT_POWERS_OF_TEN.length) {
            BigInteger unscaled = value.unscaledValue();
            if (unscaled.bitLength() <= 53) {
                // Both operands are exact, so one rounding of the exact product or quotient.
                return scale >= 0
                        ? unscaled.longValue() / EXACT_POWERS_OF_TEN[scale]
                        : unscaled.longValue() * EXACT_POWERS_OF_TEN[-scale];
            }
        }
        // The rest (coordinates printed with all 17 digits of a double need 55 bits or more):
        // Jackson's bundled FastDoubleParser on the decimal's text, correctly rounded like the
        // JDK's parser that doubleValue calls, and several times faster.
        return NumberInput.parseDouble(value.toString(), true);
    }
}
