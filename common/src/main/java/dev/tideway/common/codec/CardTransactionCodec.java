package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/**
 * Card transactions on the wire:
 *
 * <pre>{"schemaVersion":1,"eventId":"t-1","cardId":"c-1","accountId":"a-1","merchant":"m-1",
 * "amount":12.50,"currency":"EUR","latitude":48.85,"longitude":2.35,
 * "authorization":"approved","eventTime":"2026-11-22T10:15:30.000Z"}</pre>
 */
public final class CardTransactionCodec extends JsonEventCodec<CardTransaction> {

    /** Larger amounts are treated as bad input, not as a purchase. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");

    public CardTransactionCodec() {
        this(CodecSettings.defaults());
    }

    public CardTransactionCodec(CodecSettings settings) {
        super(
                settings,
                Set.of(
                        "eventId",
                        "cardId",
                        "accountId",
                        "merchant",
                        "amount",
                        "currency",
                        "latitude",
                        "longitude",
                        "authorization",
                        "eventTime"));
    }

    @Override
    CardTransaction read(JsonFields json) {
        return new CardTransaction(
                json.text("eventId"),
                json.text("cardId"),
                json.text("accountId"),
                json.text("merchant"),
                json.amount("amount", MAX_AMOUNT),
                json.currency("currency"),
                json.number("latitude", -90, 90),
                json.number("longitude", -180, 180),
                json.enumValue("authorization", AuthorizationResult.class),
                json.eventTime("eventTime"));
    }

    @Override
    void write(CardTransaction t, ObjectNode json) {
        json.put("eventId", t.eventId);
        json.put("cardId", t.cardId);
        json.put("accountId", t.accountId);
        json.put("merchant", t.merchant);
        json.put("amount", t.amount);
        json.put("currency", t.currency);
        json.put("latitude", t.latitude);
        json.put("longitude", t.longitude);
        json.put("authorization", JsonFields.wireName(t.authorization));
        json.put("eventTime", Instant.ofEpochMilli(t.eventTime).toString());
    }

    @Override
    public Class<CardTransaction> eventType() {
        return CardTransaction.class;
    }

    @Override
    public long eventTimeOf(CardTransaction t) {
        return t.eventTime;
    }

    @Override
    public String partitionKeyOf(CardTransaction t) {
        return t.cardId;
    }
}
