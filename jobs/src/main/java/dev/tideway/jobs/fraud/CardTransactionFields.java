package dev.tideway.jobs.fraud;

import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.Decimals;
import dev.tideway.rules.expression.EventSchema;

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
                    .build();
}
