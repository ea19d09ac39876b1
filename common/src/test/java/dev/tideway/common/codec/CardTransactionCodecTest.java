package dev.tideway.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardTransactionCodecTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final CardTransactionCodec CODEC =
            new CardTransactionCodec(
                    CodecSettings.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));

    private static final String VALID =
            "{\"schemaVersion\":1,\"eventId\":\"t-1\",\"cardId\":\"c-1\",\"accountId\":\"a-1\","
                    + "\"merchant\":\"m-1\",\"amount\":12.50,\"currency\":\"EUR\","
                    + "\"latitude\":48.85,\"longitude\":2.35,\"authorization\":\"approved\","
                    + "\"eventTime\":\"2026-11-22T09:59:00Z\"}";

    @Test
    void decodesValidTransaction() {
        DecodeResult<CardTransaction> result = CODEC.decode(bytes(VALID));

        assertThat(result.isValid()).as(result.toString()).isTrue();
        CardTransaction t = result.value();
        assertThat(t.eventId).isEqualTo("t-1");
        assertThat(t.amount).isEqualByComparingTo("12.50");
        assertThat(t.authorization).isEqualTo(AuthorizationResult.APPROVED);
        assertThat(t.eventTime).isEqualTo(Instant.parse("2026-11-22T09:59:00Z").toEpochMilli());
    }

    @Test
    void encodeThenDecodeGivesTheSameTransaction() {
        CardTransaction t =
                new CardTransaction(
                        "t-9",
                        "c-9",
                        "a-9",
                        "shop",
                        new BigDecimal("1999.99"),
                        "USD",
                        -33.86,
                        151.2,
                        AuthorizationResult.DECLINED,
                        NOW.minusSeconds(5).toEpochMilli());

        assertThat(CODEC.decode(CODEC.encode(t)).value()).isEqualTo(t);
        assertThat(new String(CODEC.encode(t), StandardCharsets.UTF_8))
                .contains("\"schemaVersion\":1")
                .contains("\"authorization\":\"declined\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "invalid JSON | {\"eventId\": | not valid JSON",
                "not an object | [1,2,3] | expected a JSON object",
                "trailing garbage | {\"a\":1} x | not valid JSON",
                "missing field | -cardId | missing required field 'cardId'",
                "null field | cardId=null | missing required field 'cardId'",
                "wrong type | amount=\"12.50\" | field 'amount' must be a number",
                "negative amount | amount=-5 | field 'amount' must be > 0",
                "zero amount | amount=0 | field 'amount' must be > 0",
                "huge amount | amount=1e300 | field 'amount' must be > 0 and <= 1000000",
                "NaN as text | latitude=\"NaN\" | field 'latitude' must be a number",
                "NaN literal | latitude=NaN | not valid JSON",
                "latitude out of range | latitude=91 | field 'latitude' must be a finite number",
                "unknown currency | currency=\"XYZ\" | not a known ISO 4217 currency code",
                "unknown authorization | authorization=\"maybe\" | has unknown value 'maybe'",
                "year ahead | eventTime=\"2027-11-22T10:00:00Z\" | in the future",
                "not a timestamp | eventTime=\"yesterday\" | not an ISO-8601 instant",
                "numeric timestamp | eventTime=1700000000000 | field 'eventTime' must be a string",
                "unknown field | extra=1 | unknown field 'extra'",
                "wrong schema version | schemaVersion=2 | unsupported schemaVersion 2",
                "blank id | eventId=\"  \" | field 'eventId' must not be blank",
                "nested object for text | merchant={\"a\":{\"b\":1}} | field 'merchant' must be a string",
            })
    void rejectsWithReason(String name, String change, String expectedReason) {
        DecodeResult<CardTransaction> result = CODEC.decode(bytes(apply(change)));

        assertThat(result.isValid()).as(name).isFalse();
        assertThat(result.error()).contains(expectedReason);
    }

    @Test
    void rejectsDuplicatedField() {
        String json = VALID.replace("\"cardId\":\"c-1\"", "\"cardId\":\"c-1\",\"cardId\":\"c-2\"");
        assertThat(CODEC.decode(bytes(json)).error()).contains("Duplicate field 'cardId'");
    }

    @Test
    void rejectsEmptyAndNullPayload() {
        assertThat(CODEC.decode(new byte[0]).error()).isEqualTo("empty payload");
        assertThat(CODEC.decode(null).error()).isEqualTo("empty payload");
    }

    @Test
    void rejectsOneMebibytePayloadWithoutParsingIt() {
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) '{');
        assertThat(CODEC.decode(huge).error())
                .isEqualTo("payload is 1048576 bytes, larger than the limit of 65536 bytes");
    }

    @Test
    void rejectsDeeplyNestedJson() {
        String nested = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThat(CODEC.decode(bytes(nested)).error()).contains("not valid JSON");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] payload = bytes(VALID.replace("m-1", "m-\u00e9"));
        byte[] broken = Arrays.copyOf(payload, payload.length);
        int index = VALID.indexOf("m-1") + 2;
        broken[index] = (byte) 0xC3;
        broken[index + 1] = (byte) 0x28; // not a continuation byte
        assertThat(CODEC.decode(broken).error()).contains("not valid UTF-8");
    }

    @Test
    void acceptsUnicodeText() {
        String json = VALID.replace("\"m-1\"", "\"Caf\u00e9 \u6771\u4eac \uD83D\uDE00\"");
        assertThat(CODEC.decode(bytes(json)).value().merchant).isEqualTo("Café 東京 😀");
    }

    @Test
    void toleratesSmallClockSkewButNotMore() {
        String soon =
                VALID.replace("2026-11-22T09:59:00Z", NOW.plus(Duration.ofMinutes(9)).toString());
        String later =
                VALID.replace("2026-11-22T09:59:00Z", NOW.plus(Duration.ofMinutes(11)).toString());
        assertThat(CODEC.decode(bytes(soon)).isValid()).isTrue();
        assertThat(CODEC.decode(bytes(later)).isValid()).isFalse();
    }

    @Test
    void coordinatesAreTheDoublesTheirDecimalTextDenotes() {
        SplittableRandom random = new SplittableRandom(20261207);
        for (int i = 0; i < 20_000; i++) {
            // Up to 17 digits, exponents, trailing zeros: the decoder's exact path and its
            // fallback.
            double degrees = random.nextDouble(-90, 90);
            String latitude =
                    random.nextBoolean()
                            ? Double.toString(
                                    degrees) // all digits of a double, as generators write
                            : new BigDecimal(degrees)
                                    .setScale(random.nextInt(0, 13), RoundingMode.HALF_EVEN)
                                    .toPlainString();
            String longitude =
                    random.nextBoolean()
                            ? (random.nextInt(-17, 18) * 10) + ".000"
                            : random.nextInt(-1799, 1800) + "E-1";
            String json =
                    apply("latitude=" + latitude)
                            .replace("\"longitude\":2.35", "\"longitude\":" + longitude);
            CardTransaction t = CODEC.decode(bytes(json)).value();
            assertThat(Double.doubleToLongBits(t.latitude))
                    .as(latitude)
                    .isEqualTo(Double.doubleToLongBits(Double.parseDouble(latitude)));
            assertThat(Double.doubleToLongBits(t.longitude))
                    .as(longitude)
                    .isEqualTo(Double.doubleToLongBits(Double.parseDouble(longitude)));
        }
    }

    /** Applies "-field" (remove) or "field=json" (set) to the valid record. */
    private static String apply(String change) {
        if (change.startsWith("{") || change.startsWith("[")) {
            return change;
        }
        var mapper = JsonEventCodec.strictMapper();
        try {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(VALID);
            if (change.startsWith("-")) {
                node.remove(change.substring(1));
                return mapper.writeValueAsString(node);
            }
            String field = change.substring(0, change.indexOf('='));
            String value = change.substring(change.indexOf('=') + 1);
            node.remove(field);
            String rest = mapper.writeValueAsString(node);
            return rest.substring(0, rest.length() - 1) + ",\"" + field + "\":" + value + "}";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
