package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.rules.engine.ShipEvents;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fraud job's events reach the rules engine encoded; a late one goes to dead letters as the
 * transaction rebuilt from its fields. It must be the transaction the codec decoded.
 */
class CardTransactionFieldsTest {
    private static final CardTransactionCodec CODEC = new CardTransactionCodec();
    private static final ShipEvents<CardTransaction> SHIP =
            new ShipEvents<>(CardTransactionFields.SCHEMA, tx -> tx.cardId);

    @Test
    void aTransactionRebuiltFromItsFieldsIsTheOneTheCodecDecoded() throws Exception {
        Random random = new Random(20261207);
        for (int i = 0; i < 20_000; i++) {
            CardTransaction decoded = decode(randomJson(random, i));
            CardTransaction rebuilt = SHIP.map(decoded).rebuild(CardTransactionFields.SCHEMA);

            assertThat(rebuilt).as("transaction %s", decoded).isEqualTo(decoded);
            assertThat(rebuilt.amount.compareTo(decoded.amount)).isZero();
            // The rebuilt one goes out through the codec: it must read back the same.
            assertThat(decode(new String(CODEC.encode(rebuilt), StandardCharsets.UTF_8)))
                    .isEqualTo(decoded);
        }
    }

    /** Amounts of 0-4 decimal places up to the codec's 1,000,000, with and without zeros. */
    private static String randomJson(Random random, int i) {
        int places = random.nextInt(5);
        long units = 1 + (long) (random.nextDouble() * Math.pow(10, places) * 1_000_000 - 1);
        String amount =
                new java.math.BigDecimal(java.math.BigInteger.valueOf(units), places)
                        .toPlainString();
        return "{\"schemaVersion\":1,\"eventId\":\"tx-"
                + i
                + "\",\"cardId\":\"c-"
                + random.nextInt(100)
                + "\",\"accountId\":\"a-1\",\"merchant\":\"Café ✓ "
                + i
                + "\",\"amount\":"
                + amount
                + ",\"currency\":\"EUR\",\"latitude\":"
                + (random.nextDouble() * 180 - 90)
                + ",\"longitude\":"
                + (random.nextDouble() * 360 - 180)
                + ",\"authorization\":\""
                + (random.nextBoolean() ? "approved" : "declined")
                + "\",\"eventTime\":\"2026-11-22T10:15:30."
                + String.format("%03d", random.nextInt(1000))
                + "Z\"}";
    }

    private static CardTransaction decode(String json) {
        DecodeResult<CardTransaction> result = CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(result.isValid()).as("%s: %s", json, result).isTrue();
        return result.value();
    }
}
