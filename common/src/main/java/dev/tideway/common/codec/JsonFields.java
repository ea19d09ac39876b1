package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.model.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads required fields of one JSON object, failing with a reason that names the field. */
final class JsonFields {
    private static final int MAX_TEXT_LENGTH = 256;
    private static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");
    private static final Set<String> CURRENCIES =
            Currency.getAvailableCurrencies().stream()
                    .map(Currency::getCurrencyCode)
                    .collect(Collectors.toUnmodifiableSet());

    /** The value of a field, or null when the field is absent. */
    private final Function<String, JsonNode> object;

    private final CodecSettings settings;

    JsonFields(ObjectNode object, CodecSettings settings) {
        this(object::get, settings);
    }

    /** Fields looked up elsewhere than in a tree, such as the streaming decoder's slots. */
    JsonFields(Function<String, JsonNode> fields, CodecSettings settings) {
        this.object = fields;
        this.settings = settings;
    }

    String text(String field) {
        String value = text(field, MAX_TEXT_LENGTH);
        checkCharacters(field, value);
        return value;
    }

    /** Free text written by Tideway itself (reasons, details): a looser length limit. */
    String longText(String field) {
        return text(field, 64 * 1024);
    }

    private String text(String field, int maxLength) {
        JsonNode node = required(field);
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        String value = node.textValue();
        if (value.isBlank()) {
            throw new InvalidEventException("field '" + field + "' must not be blank");
        }
        if (value.length() > maxLength) {
            throw new InvalidEventException(
                    "field '"
                            + field
                            + "' is "
                            + value.length()
                            + " characters long, at most "
                            + maxLength
                            + " allowed");
        }
        return value;
    }

    String currency(String field) {
        String code = text(field);
        if (!CURRENCIES.contains(code)) {
            throw new InvalidEventException(
                    "field '" + field + "' is not a known ISO 4217 currency code: " + code);
        }
        return code;
    }

    double number(String field, double min, double max) {
        JsonNode node = required(field);
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        // Decimals come as BigDecimal (the tree's USE_BIG_DECIMAL_FOR_FLOATS), whose doubleValue
        // goes through text on Java 17: 16 % of the fraud job's source thread, for its coordinates.
        double value =
                node.isBigDecimal() ? Decimals.toDouble(node.decimalValue()) : node.doubleValue();
        if (!Double.isFinite(value) || value < min || value > max) {
            throw outOfRange(field, node, min, max);
        }
        return value;
    }

    BigDecimal amount(String field, BigDecimal maxInclusive) {
        JsonNode node = required(field);
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() <= 0 || value.compareTo(maxInclusive) > 0) {
            throw new InvalidEventException(
                    "field '"
                            + field
                            + "' must be > 0 and <= "
                            + maxInclusive.toPlainString()
                            + ", was "
                            + abbreviate(node.asText()));
        }
        if (value.scale() > 4) {
            throw new InvalidEventException(
                    "field '" + field + "' has more than 4 decimal places: " + value);
        }
        return value;
    }

    int integer(String field) {
        JsonNode node = required(field);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(field, "an integer", node);
        }
        return node.intValue();
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type) {
        String text = text(field);
        Enum<?> constant = WIRE_NAMES.get(type).get(text);
        if (constant != null) {
            return type.cast(constant);
        }
        throw new InvalidEventException(
                "field '"
                        + field
                        + "' has unknown value '"
                        + abbreviate(text)
                        + "'; expected one of "
                        + java.util.Arrays.stream(type.getEnumConstants())
                                .map(JsonFields::wireName)
                                .collect(Collectors.joining(", ")));
    }

    /** An ISO-8601 instant, such as 2026-11-22T03:15:59.123Z, as epoch milliseconds. */
    long eventTime(String field) {
        String text = text(field);
        Instant instant = canonicalInstant(text);
        try {
            instant = instant != null ? instant : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(
                    "field '"
                            + field
                            + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z: "
                            + abbreviate(text));
        }
        Instant latest = settings.clock().instant().plus(settings.maxFutureSkew());
        if (instant.isAfter(latest)) {
            throw new InvalidEventException(
                    "field '"
                            + field
                            + "' is "
                            + text
                            + ", more than "
                            + settings.maxFutureSkew()
                            + " in the future");
        }
        if (instant.isBefore(EARLIEST_EVENT_TIME)) {
            throw new InvalidEventException(
                    "field '" + field + "' is " + text + ", before " + EARLIEST_EVENT_TIME);
        }
        return instant.toEpochMilli();
    }

    /**
     * The instant of the canonical form Tideway writes, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, read
     * without DateTimeFormatter (which costs more than the rest of a record's validation); null for
     * anything else, including invalid dates, which Instant.parse then accepts or rejects.
     */
    static Instant canonicalInstant(String text) {
        int length = text.length();
        if (length < 20
                || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21; // between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, length - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(
                epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The ASCII digits text[from, to) as a number, or -1 if any is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    long longValue(String field) {
        JsonNode node = required(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(field, "an integer", node);
        }
        return node.longValue();
    }

    java.util.List<String> textList(String field) {
        JsonNode node = required(field);
        if (!node.isArray()) {
            throw wrongType(field, "an array of strings", node);
        }
        java.util.List<String> values = new java.util.ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw wrongType(field + "[]", "a string", element);
            }
            values.add(element.textValue());
        }
        return values;
    }

    /** Base64 bytes, or null when the field is absent or null. */
    byte[] optionalBytes(String field) {
        JsonNode node = object.apply(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(field, "a base64 string", node);
        }
        try {
            return java.util.Base64.getDecoder().decode(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("field '" + field + "' is not valid base64");
        }
    }

    /** Identifiers and names: no control characters, no broken UTF-16. */
    private static void checkCharacters(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidEventException(
                        "field '"
                                + field
                                + "' contains a control character (U+"
                                + String.format("%04X", (int) c)
                                + ")");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidEventException(
                        "field '"
                                + field
                                + "' contains an unpaired UTF-16 surrogate (U+"
                                + String.format("%04X", (int) c)
                                + ")");
            }
        }
    }

    /** Each enum's constants by wire name, computed once per enum type. */
    private static final ClassValue<java.util.Map<String, Enum<?>>> WIRE_NAMES =
            new ClassValue<>() {
                @Override
                protected java.util.Map<String, Enum<?>> computeValue(Class<?> type) {
                    java.util.Map<String, Enum<?>> names = new java.util.HashMap<>();
                    for (Object constant : type.getEnumConstants()) {
                        names.put(wireName((Enum<?>) constant), (Enum<?>) constant);
                    }
                    return java.util.Map.copyOf(names);
                }
            };

    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    private JsonNode required(String field) {
        JsonNode node = object.apply(field);
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        return node;
    }

    private static InvalidEventException wrongType(String field, String expected, JsonNode node) {
        return new InvalidEventException(
                "field '"
                        + field
                        + "' must be "
                        + expected
                        + ", was "
                        + node.getNodeType().name().toLowerCase(Locale.ROOT)
                        + " "
                        + abbreviate(node.toString()));
    }

    private static InvalidEventException outOfRange(
            String field, JsonNode node, double min, double max) {
        return new InvalidEventException(
                "field '"
                        + field
                        + "' must be a finite number in ["
                        + min
                        + ", "
                        + max
                        + "], was "
                        + abbreviate(node.asText()));
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
