package dev.tideway.jobs.clicks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.JsonEventCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * JSON of the job's own results (sessions, funnels), in the style of the input topics: a {@code
 * schemaVersion}, ISO-8601 times. Decoding is for consumers and tests; it reports what is wrong
 * instead of throwing.
 */
final class OutputJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OutputJson() {}

    static ObjectNode object() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("schemaVersion", JsonEventCodec.SCHEMA_VERSION);
        return json;
    }

    static byte[] bytes(ObjectNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + json, e);
        }
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Parses an object and reads it; any missing or mistyped field makes the result invalid. */
    static <T> DecodeResult<T> decode(byte[] payload, Function<Fields, T> read) {
        try {
            JsonNode root = MAPPER.readTree(payload);
            if (root == null || !root.isObject()) {
                return DecodeResult.invalid("expected a JSON object");
            }
            Fields fields = new Fields(root);
            if (fields.integer("schemaVersion") != JsonEventCodec.SCHEMA_VERSION) {
                return DecodeResult.invalid("unsupported schemaVersion");
            }
            return DecodeResult.valid(read.apply(fields));
        } catch (IOException e) {
            return DecodeResult.invalid("not valid JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return DecodeResult.invalid(e.getMessage());
        }
    }

    /** Required fields of one object. */
    static final class Fields {
        private final JsonNode json;

        Fields(JsonNode json) {
            this.json = json;
        }

        JsonNode node(String field) {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                throw new IllegalArgumentException("missing required field '" + field + "'");
            }
            return node;
        }

        String text(String field) {
            JsonNode node = node(field);
            if (!node.isTextual()) {
                throw new IllegalArgumentException("field '" + field + "' must be a string");
            }
            return node.textValue();
        }

        long integer(String field) {
            JsonNode node = node(field);
            if (!node.isIntegralNumber()) {
                throw new IllegalArgumentException("field '" + field + "' must be an integer");
            }
            return node.longValue();
        }

        double number(String field) {
            JsonNode node = node(field);
            if (!node.isNumber()) {
                throw new IllegalArgumentException("field '" + field + "' must be a number");
            }
            return node.doubleValue();
        }

        boolean bool(String field) {
            JsonNode node = node(field);
            if (!node.isBoolean()) {
                throw new IllegalArgumentException("field '" + field + "' must be a boolean");
            }
            return node.booleanValue();
        }

        long time(String field) {
            try {
                return Instant.parse(text(field)).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "field '" + field + "' is not an ISO-8601 instant");
            }
        }
    }
}
