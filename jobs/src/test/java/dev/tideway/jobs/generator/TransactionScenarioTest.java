package dev.tideway.jobs.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.model.CardTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionScenarioTest {
    private static final int N = 8_000;
    private static final Instant START = Instant.now().minus(Duration.ofHours(1));

    private static TransactionScenario scenario(long seed) {
        return new TransactionScenario(
                seed, N, 200, 0.05, 0.2, Duration.ofSeconds(2), 0.02, 3, START, 0);
    }

    @Test
    void sameSeedSameRecords() {
        TransactionScenario a = scenario(7), b = scenario(7), c = scenario(8);
        int differentFromOtherSeed = 0;
        for (long i = 0; i < 200; i++) {
            assertThat(a.record(i).value).isEqualTo(b.record(i).value);
            if (!java.util.Arrays.equals(a.record(i).value, c.record(i).value)) {
                differentFromOtherSeed++;
            }
        }
        assertThat(differentFromOtherSeed).isGreaterThan(150);
    }

    @Test
    void validRecordsDecodeAndAreKeyedByCardAndMalformedOnesAreRejected() {
        TransactionScenario scenario = scenario(11);
        CardTransactionCodec codec = new CardTransactionCodec();
        Set<TransactionScenario.Malformed> kindsSeen =
                EnumSet.noneOf(TransactionScenario.Malformed.class);
        for (long i = 0; i < N; i++) {
            GeneratedRecord record = scenario.record(i);
            DecodeResult<CardTransaction> decoded = codec.decode(record.value);
            TransactionScenario.Malformed kind = scenario.malformedAt(i);
            if (kind == null) {
                assertThat(decoded.isValid()).as("record %d: %s", i, decoded).isTrue();
                assertThat(new String(record.key, StandardCharsets.UTF_8))
                        .isEqualTo(decoded.value().cardId);
            } else {
                kindsSeen.add(kind);
                boolean rejected = !decoded.isValid() || record.key == null;
                assertThat(rejected).as("record %d (%s) must be rejected", i, kind).isTrue();
            }
        }
        assertThat(kindsSeen).as("every kind of bad record occurs").hasSize(14);
        assertThat(scenario.malformedCount(N)).isGreaterThan(100);
    }

    @Test
    void injectedFraudsNameEventsThatExistOnTheirCard() {
        TransactionScenario scenario = scenario(13);
        CardTransactionCodec codec = new CardTransactionCodec();
        Set<String> fraudEventIds = new HashSet<>();
        for (long i = 0; i < N; i++) {
            DecodeResult<CardTransaction> d = codec.decode(scenario.record(i).value);
            if (d.isValid() && d.value().cardId.startsWith("fraud-card-")) {
                fraudEventIds.add(d.value().cardId + "/" + d.value().eventId);
            }
        }
        var frauds = scenario.injectedFrauds(N);
        assertThat(frauds).hasSizeGreaterThan(20);
        for (InjectedFraud fraud : frauds) {
            for (String id : fraud.evidence()) {
                assertThat(fraudEventIds).contains(fraud.cardId() + "/" + id);
            }
        }
        assertThat(frauds.stream().mapToInt(f -> f.evidence().size()).sum())
                .isEqualTo(fraudEventIds.size());
    }
}
