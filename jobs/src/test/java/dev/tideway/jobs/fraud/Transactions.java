package dev.tideway.jobs.fraud;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** Named instants and transaction builders for rule tests. */
final class Transactions {
    static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");
    static final double PARIS_LAT = 48.8566, PARIS_LON = 2.3522;
    static final double TOKYO_LAT = 35.6762, TOKYO_LON = 139.6503;
    static final double VERSAILLES_LAT = 48.8049, VERSAILLES_LON = 2.1204;

    private Transactions() {}

    static long at(Duration afterT0) {
        return T0.plus(afterT0).toEpochMilli();
    }

    static CardTransaction approved(String id, String card, String amount, long time) {
        return tx(id, card, amount, PARIS_LAT, PARIS_LON, AuthorizationResult.APPROVED, time);
    }

    static CardTransaction declined(String id, String card, long time) {
        return tx(id, card, "42.00", PARIS_LAT, PARIS_LON, AuthorizationResult.DECLINED, time);
    }

    static CardTransaction at(String id, String card, double lat, double lon, long time) {
        return tx(id, card, "42.00", lat, lon, AuthorizationResult.APPROVED, time);
    }

    static CardTransaction tx(
            String id,
            String card,
            String amount,
            double lat,
            double lon,
            AuthorizationResult auth,
            long time) {
        return new CardTransaction(
                id,
                card,
                "acct-" + card,
                "shop",
                new BigDecimal(amount),
                "EUR",
                lat,
                lon,
                auth,
                time);
    }

    static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    static Duration sec(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
