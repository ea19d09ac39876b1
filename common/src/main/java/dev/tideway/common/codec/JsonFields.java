package dev.tideway.common.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads required fields of one JSON object, failing with a reason that names the field. */
final class JsonFields {
    private static final int MAX_TEXT_LENGTH = 256;
    private static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");
    private static final Set<String> CURRENCIES =
            Currency.getAvailableCurrencies().stream()
                    .map(Currency::getCurrencyCode)
                    .collect(Collectors.toUnmodifiableSet());

    private final ObjectNode object;
    private final CodecSettings settings;

    JsonFields(ObjectNode object, CodecSettings settings) {
        this.object = object;
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
        double value = node.doubleValue();
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
        for (E constant : type.getEnumConstants()) {
            if (wireName(constant).equals(text)) {
                return constant;
            }
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
        Instant instant;
        try {
            instant = Instant.parse(text);
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
        JsonNode node = object.get(field);
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

    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    private JsonNode required(String field) {
        JsonNode node = object.get(field);
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
