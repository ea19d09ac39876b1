package dev.tideway.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalsTest {
    @Test
    void givesExactlyTheDoubleOfBigDecimalDoubleValue() {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int i = 0; i < 200_000; i++) {
            // Unscaled values on both sides of 2^53, scales on both sides of -22, 0 and 22.
            long unscaled = random.nextLong() >> random.nextInt(64);
            int scale = random.nextInt(-26, 26);
            BigDecimal value = BigDecimal.valueOf(unscaled, scale);
            assertThat(Double.doubleToLongBits(Decimals.toDouble(value)))
                    .as("%s", value)
                    .isEqualTo(Double.doubleToLongBits(value.doubleValue()));
        }
    }

    @Test
    void handlesAmountsAndEdgesAsBigDecimalDoes() {
        for (String text :
                new String[] {
                    "0",
                    "0.00",
                    "12.34",
                    "-12.34",
                    "0.1",
                    "9999999.9999",
                    "48.856613",
                    "9007199254740991",
                    "9007199254740993",
                    "0.9007199254740993",
                    "1E+5",
                    "1.2E+2",
                    "-7E+22",
                    "9007199254740991E+22",
                    "3E+23",
                    "1E-30",
                    "123456789012345678901234567890.5"
                }) {
            BigDecimal value = new BigDecimal(text);
            assertThat(Decimals.toDouble(value)).as(text).isEqualTo(value.doubleValue());
        }
        BigDecimal huge = new BigDecimal(BigInteger.TEN.pow(400));
        assertThat(Decimals.toDouble(huge)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
