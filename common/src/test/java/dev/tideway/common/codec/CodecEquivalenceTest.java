package dev.tideway.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.model.AuthorizationResult;
import dev.tideway.common.model.CardTransaction;
import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import dev.tideway.common.model.SensorReading;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming decoder ({@link JsonEventCodec#decode}) accepts and rejects exactly what the former
 * tree decoder ({@link JsonEventCodec#decodeWithTree}) does, with the same reasons, on valid
 * records and on tens of thousands of seeded mutations of them: bytes flipped, dropped, duplicated,
 * and JSON fragments (numbers, nesting, nulls, quotes, duplicate keys) spliced in.
 */
class CodecEquivalenceTest {
    private static final long T = Instant.now().minusSeconds(60).toEpochMilli();
    private static final String[] FRAGMENTS = {
        "null",
        "1",
        "-0.0",
        "12.50000",
        "1e400",
        "1E+3",
        "99999999999999999999",
        "2147483648",
        "\"\"",
        "\" \"",
        "\"x\"",
        "true",
        "[]",
        "{}",
        "[1,{\"a\":[]}]",
        "{\"a\":{\"b\":1}}",
        ",",
        ":",
        "\"schemaVersion\":1,",
        "\"amount\":1,",
        "\"extra\":0,",
        "\\u0000",
        "\\uD800",
        "é",
        "NaN",
        "}",
        "{",
        "\"2026-01-01T00:00:00Z\"",
        "\"2026-01-01T00:00:00.123456789Z\"",
        " ",
    };

    static Stream<Arguments> codecs() {
        CardTransactionCodec cards = new CardTransactionCodec();
        SensorReadingCodec sensors = new SensorReadingCodec();
        ClickEventCodec clicks = new ClickEventCodec();
        return Stream.of(
                Arguments.of(
                        cards,
                        cards.encode(
                                new CardTransaction(
                                        "t-1",
                                        "c-1",
                                        "a-1",
                                        "Café 東京",
                                        new BigDecimal("12.50"),
                                        "EUR",
                                        48.85,
                                        2.35,
                                        AuthorizationResult.APPROVED,
                                        T))),
                Arguments.of(
                        sensors,
                        sensors.encode(
                                new SensorReading(
                                        "r-1",
                                        "s-1",
                                        "plant-a",
                                        "temperature",
                                        21.5,
                                        "celsius",
                                        T))),
                Arguments.of(
                        clicks,
                        clicks.encode(
                                new ClickEvent(
                                        "e-1",
                                        "u-1",
                                        "s-1",
                                        "/cart",
                                        ClickAction.ADD_TO_CART,
                                        T))));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void streamingAndTreeDecodersAgreeOnMutatedRecords(JsonEventCodec<?> codec, byte[] valid) {
        assertSame(codec, valid);
        SplittableRandom random = new SplittableRandom(20261201);
        int accepted = 0;
        for (byte[] record : mutations(valid, random, 20_000)) {
            if (assertSame(codec, record)) {
                accepted++;
            }
        }
        // Both kinds occur, so the comparison covers accepting as well as rejecting.
        assertThat(accepted).isPositive().isLessThan(20_000);
    }

    /** The fast path of event times reads what Instant.parse reads, and defers on the rest. */
    @org.junit.jupiter.api.Test
    void canonicalInstantsAreReadAsInstantParseReadsThem() {
        SplittableRandom random = new SplittableRandom(7);
        List<String> texts =
                new ArrayList<>(
                        List.of(
                                "2024-02-29T00:00:00Z",
                                "2023-02-29T00:00:00Z",
                                "2026-04-31T12:00:00Z",
                                "2026-12-31T23:59:59.999999999Z",
                                "2026-12-31T23:59:60Z",
                                "2026-12-31T24:00:00Z",
                                "2026-01-01T00:00:00.Z",
                                "2026-01-01T00:00:00.1234567891Z",
                                "2026-01-01T00:00:00+01:00",
                                "2026-01-01t00:00:00z",
                                "2026-1-01T00:00:00Z",
                                "+2026-01-01T00:00:00Z",
                                "0000-01-01T00:00:00Z",
                                "2026-13-01T00:00:00Z",
                                "2026-00-10T00:00:00Z"));
        for (int i = 0; i < 20_000; i++) {
            Instant instant =
                    Instant.ofEpochSecond(
                            random.nextLong(0, 5_000_000_000L), random.nextInt(1_000_000_000));
            String text = instant.toString();
            if (random.nextBoolean()) {
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "0123456789-:.TZx".charAt(random.nextInt(16));
                text = new String(chars);
            }
            texts.add(text);
        }
        for (String text : texts) {
            Instant parsed;
            try {
                parsed = Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                parsed = null;
            }
            Instant fast = JsonFields.canonicalInstant(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(parsed);
            }
        }
        assertThat(JsonFields.canonicalInstant("2026-11-22T03:15:59.123Z"))
                .isEqualTo(Instant.parse("2026-11-22T03:15:59.123Z"));
    }

    /** Returns whether the record was accepted. */
    private static <T> boolean assertSame(JsonEventCodec<T> codec, byte[] record) {
        DecodeResult<T> streaming = codec.decode(record);
        DecodeResult<T> tree = codec.decodeWithTree(record);
        String what = new String(record, StandardCharsets.UTF_8);
        assertThat(streaming.isValid())
                .as(what + "\nstreaming " + streaming + "\ntree " + tree)
                .isEqualTo(tree.isValid());
        if (tree.isValid()) {
            // Encoding both shows every field equal, BigDecimal scale included.
            assertThat(codec.encode(streaming.value()))
                    .as(what)
                    .isEqualTo(codec.encode(tree.value()));
            return true;
        }
        if (tree.error().startsWith("not valid JSON")) {
            // The parser's wording may differ between bytes and text input; the reason does not.
            assertThat(streaming.error()).as(what).startsWith("not valid JSON");
        } else {
            assertThat(streaming.error()).as(what).isEqualTo(tree.error());
        }
        return false;
    }

    private static List<byte[]> mutations(byte[] valid, SplittableRandom random, int count) {
        String text = new String(valid, StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(text.length() + 1);
            String mutated =
                    switch (random.nextInt(5)) {
                        case 0 ->
                                text.substring(0, at)
                                        + text.substring(
                                                Math.min(
                                                        text.length(), at + 1 + random.nextInt(4)));
                        case 1 ->
                                text.substring(0, at)
                                        + FRAGMENTS[random.nextInt(FRAGMENTS.length)]
                                        + text.substring(at);
                        case 2 -> replaceValue(text, random);
                        case 3 ->
                                text.substring(0, at)
                                        + text.substring(
                                                Math.max(0, at - 1 - random.nextInt(6)), at)
                                        + text.substring(at);
                        default -> text;
                    };
            byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(4) == 0 && bytes.length > 0) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            out.add(bytes);
        }
        return out;
    }

    /** One field's value replaced by a fragment: wrong types, nulls, nesting, odd numbers. */
    private static String replaceValue(String text, SplittableRandom random) {
        int colon = -1;
        for (int tries = 0; tries < 10 && colon < 0; tries++) {
            int at = text.indexOf("\":", random.nextInt(text.length()));
            colon = at < 0 ? -1 : at + 1;
        }
        if (colon < 0) {
            return text;
        }
        int end = colon + 1;
        boolean quoted = end < text.length() && text.charAt(end) == '"';
        end = quoted ? text.indexOf('"', end + 1) + 1 : end;
        while (end < text.length() && ",}".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return text.substring(0, colon + 1)
                + FRAGMENTS[random.nextInt(FRAGMENTS.length)]
                + text.substring(end);
    }
}
