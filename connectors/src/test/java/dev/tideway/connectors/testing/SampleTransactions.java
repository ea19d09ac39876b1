package dev.tideway.connectors.testing;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import java.math.BigDecimal;

/** Card transactions for tests that need a valid one and do not care about its details. */
public final class SampleTransactions {
    /** An approved 12.50 EUR charge in Paris: valid, and no fraud rule fires on it. */
    public static CardTransaction approved(String eventId, String cardId, long eventTime) {
        return new CardTransaction(
                eventId,
                cardId,
                "acct-1",
                "shop",
                new BigDecimal("12.50"),
                "EUR",
                48.85,
                2.35,
                AuthorizationResult.APPROVED,
                eventTime);
    }

    private SampleTransactions() {}
}
