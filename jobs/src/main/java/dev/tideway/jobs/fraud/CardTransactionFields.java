package dev.tideway.jobs.fraud;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.Decimals;
import dev.tideway.rules.expression.EventSchema;
import java.math.BigDecimal;

/** The fields of a card transaction that fraud rules can test, grouped by card. */
public final class CardTransactionFields {
    private CardTransactionFields() {}

    public static final EventSchema<CardTransaction> SCHEMA =
            EventSchema.<CardTransaction>builder("cardId")
                    .text(EventSchema.EVENT_ID, tx -> tx.eventId)
                    .number(EventSchema.EVENT_TIME, tx -> tx.eventTime)
                    .text("cardId", tx -> tx.cardId)
                    .text("accountId", tx -> tx.accountId)
                    .text("merchant", tx -> tx.merchant)
                    .number("amount", tx -> Decimals.toDouble(tx.amount))
                    .text("currency", tx -> tx.currency)
                    .number("latitude", tx -> tx.latitude)
                    .number("longitude", tx -> tx.longitude)
                    .text("authorization", tx -> tx.authorization.name())
                    .bool("declined", CardTransaction::isDeclined)
                    .rebuiltBy(CardTransactionFields::rebuild)
                    .build();

    /**
     * The transaction its fields describe. The amount comes back exactly: the codec allows at most
     * 4 decimal places below 1,000,000, 11 significant digits, which a double's shortest decimal
     * form keeps; trailing zeros go, as the codec drops them.
     */
    static CardTransaction rebuild(EventSchema.Fields f) {
        return new CardTransaction(
                f.text(EventSchema.EVENT_ID),
                f.text("cardId"),
                f.text("accountId"),
                f.text("merchant"),
                BigDecimal.valueOf(f.number("amount")).stripTrailingZeros(),
                f.text("currency"),
                f.number("latitude"),
                f.number("longitude"),
                AuthorizationResult.valueOf(f.text("authorization")),
                (long) f.number(EventSchema.EVENT_TIME));
    }
}
