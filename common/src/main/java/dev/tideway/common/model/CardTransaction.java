package dev.tideway.common.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A card authorization. A Flink POJO (public fields, no-arg constructor): serialized by Flink's
 * PojoSerializer, never by Kryo, so that state stays readable across upgrades.
 */
public class CardTransaction {
    public String eventId;
    public String cardId;
    public String accountId;
    public String merchant;
    public BigDecimal amount;

    /** ISO 4217 code, such as EUR. */
    public String currency;

    public double latitude;
    public double longitude;
    public AuthorizationResult authorization;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    public CardTransaction() {}

    public CardTransaction(
            String eventId,
            String cardId,
            String accountId,
            String merchant,
            BigDecimal amount,
            String currency,
            double latitude,
            double longitude,
            AuthorizationResult authorization,
            long eventTime) {
        this.eventId = eventId;
        this.cardId = cardId;
        this.accountId = accountId;
        this.merchant = merchant;
        this.amount = amount;
        this.currency = currency;
        this.latitude = latitude;
        this.longitude = longitude;
        this.authorization = authorization;
        this.eventTime = eventTime;
    }

    public boolean isDeclined() {
        return authorization == AuthorizationResult.DECLINED;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CardTransaction)) {
            return false;
        }
        CardTransaction t = (CardTransaction) o;
        return Double.compare(latitude, t.latitude) == 0
                && Double.compare(longitude, t.longitude) == 0
                && eventTime == t.eventTime
                && Objects.equals(eventId, t.eventId)
                && Objects.equals(cardId, t.cardId)
                && Objects.equals(accountId, t.accountId)
                && Objects.equals(merchant, t.merchant)
                && (amount == null
                        ? t.amount == null
                        : t.amount != null && amount.compareTo(t.amount) == 0)
                && Objects.equals(currency, t.currency)
                && authorization == t.authorization;
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, cardId, eventTime);
    }

    @Override
    public String toString() {
        return "CardTransaction{"
                + eventId
                + ", card="
                + cardId
                + ", "
                + amount
                + " "
                + currency
                + ", "
                + authorization
                + ", at="
                + latitude
                + ","
                + longitude
                + ", t="
                + eventTime
                + '}';
    }
}
