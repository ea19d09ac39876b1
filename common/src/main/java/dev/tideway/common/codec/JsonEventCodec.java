package dev.tideway.common.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict JSON for one event type: an object with exactly the declared fields plus {@code
 * schemaVersion}. Rejects duplicate keys, trailing content, deep nesting, oversized records, and
 * fields of the wrong type or out of range, each with a reason that names the problem.
 */
public abstract class JsonEventCodec<T> implements EventCodec<T> {

    /** The version of the wire format written by this code and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;

    static final String SCHEMA_VERSION_FIELD = "schemaVersion";
    private static final int MAX_NESTING_DEPTH = 16;

    private final CodecSettings settings;
    private final Set<String> fields;

    /** Each field's slot in the streaming decoder's array of values. */
    private final Map<String, Integer> slots = new HashMap<>();

    private transient ObjectMapper mapper;
    private transient ObjectReader subtreeReader;

    protected JsonEventCodec(CodecSettings settings, Set<String> fields) {
        this.settings = settings;
        this.fields = new TreeSet<>(fields);
        this.fields.add(SCHEMA_VERSION_FIELD);
        for (String field : this.fields) {
            slots.put(field, slots.size());
        }
    }

    abstract T read(JsonFields json);

    abstract void write(T event, ObjectNode json);

    /**
     * Decodes with Jackson's streaming parser straight from the bytes: each declared field's value
     * goes into a slot, no tree and no String of the whole payload; then the same validation as
     * {@link #decodeWithTree}. It accepts and rejects exactly what the tree decoder does, with the
     * same reasons (CodecEquivalenceTest), and is faster (benchmarks/, BENCHMARKS.md).
     */
    @Override
    public final DecodeResult<T> decode(byte[] payload) {
        String rejected = checkBytes(payload);
        if (rejected != null) {
            return DecodeResult.invalid(rejected);
        }
        JsonNode[] values = new JsonNode[slots.size()];
        String unknown = null;
        try (JsonParser parser = mapper().createParser(payload)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                // Read the whole value first: a syntax error anywhere wins, as in the tree.
                parser.skipChildren();
                String trailing = trailing(parser);
                return DecodeResult.invalid(
                        trailing != null
                                ? "not valid JSON: " + trailing
                                : "expected a JSON object, got " + typeName(token));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Integer slot = slots.get(name);
                if (slot == null) {
                    // Reported after the whole object parsed, like the tree decoder does.
                    unknown = unknown == null ? name : unknown;
                    parser.skipChildren();
                } else {
                    values[slot] = node(parser, value);
                }
            }
            String trailing = trailing(parser);
            if (trailing != null) {
                return DecodeResult.invalid("not valid JSON: " + trailing);
            }
        } catch (JsonProcessingException e) {
            return DecodeResult.invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return DecodeResult.invalid("not valid JSON: " + e.getMessage());
        }
        if (unknown != null) {
            return DecodeResult.invalid(unknownField(unknown));
        }
        return validate(
                new JsonFields(
                        field -> {
                            Integer slot = slots.get(field);
                            return slot == null ? null : values[slot];
                        },
                        settings));
    }

    /**
     * The former decoder: the payload as a String, parsed into a databind tree, then validated.
     * Kept as the reference the streaming {@link #decode} is tested and benchmarked against.
     */
    public final DecodeResult<T> decodeWithTree(byte[] payload) {
        String rejected = checkBytes(payload);
        if (rejected != null) {
            return DecodeResult.invalid(rejected);
        }
        String text = new String(payload, StandardCharsets.UTF_8); // valid UTF-8: checked
        JsonNode root;
        try {
            root = mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return DecodeResult.invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return DecodeResult.invalid("not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return DecodeResult.invalid(
                    "expected a JSON object, got "
                            + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        ObjectNode object = (ObjectNode) root;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                return DecodeResult.invalid(unknownField(name));
            }
        }
        return validate(new JsonFields(object, settings));
    }

    /** Empty, oversized or not strictly UTF-8: the reason, else null. */
    private String checkBytes(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return "empty payload";
        }
        if (payload.length > settings.maxPayloadBytes()) {
            return "payload is "
                    + payload.length
                    + " bytes, larger than the limit of "
                    + settings.maxPayloadBytes()
                    + " bytes";
        }
        if (isAscii(payload)) {
            return null; // ASCII is valid UTF-8: most records need no decoder
        }
        try {
            // Strict UTF-8: the JSON parser tolerates overlong and other malformed forms.
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            return null;
        } catch (CharacterCodingException e) {
            return "not valid UTF-8: " + e.getMessage();
        }
    }

    private static boolean isAscii(byte[] payload) {
        for (byte b : payload) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private DecodeResult<T> validate(JsonFields json) {
        try {
            int version = json.integer(SCHEMA_VERSION_FIELD);
            if (version != SCHEMA_VERSION) {
                return DecodeResult.invalid(
                        "unsupported schemaVersion "
                                + version
                                + "; this build reads version "
                                + SCHEMA_VERSION);
            }
            return DecodeResult.valid(read(json));
        } catch (InvalidEventException e) {
            return DecodeResult.invalid(e.getMessage());
        }
    }

    private String unknownField(String name) {
        return "unknown field '" + JsonFields.abbreviate(name) + "'; expected only " + fields;
    }

    /** The value at the parser as the tree decoder would have built it (same node types). */
    private JsonNode node(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(parser.getIntValue());
                    case LONG:
                        return LongNode.valueOf(parser.getLongValue());
                    default:
                        return BigIntegerNode.valueOf(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                // USE_BIG_DECIMAL_FOR_FLOATS, and the tree's default of stripping trailing zeros.
                BigDecimal decimal = parser.getDecimalValue();
                try {
                    decimal = decimal.stripTrailingZeros();
                } catch (ArithmeticException e) {
                    // an exponent beyond int: kept as it is, as the tree does
                }
                return DecimalNode.valueOf(decimal);
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.getInstance();
            default:
                // An object or array where a scalar belongs: rare, so the tree's reader is fine.
                return subtreeReader().readTree(parser);
        }
    }

    private static String trailing(JsonParser parser) throws IOException {
        JsonToken next = parser.nextToken();
        return next == null ? null : "Trailing token (of type " + next + ") found after value";
    }

    /** The name the tree decoder gives the node type of a root that is not an object. */
    private static String typeName(JsonToken token) {
        if (token == null) {
            return "missing";
        }
        switch (token) {
            case START_ARRAY:
                return "array";
            case VALUE_STRING:
                return "string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.name().toLowerCase();
        }
    }

    /** Reads one nested value and stops: the rest of the record follows it. */
    private ObjectReader subtreeReader() {
        if (subtreeReader == null) {
            subtreeReader =
                    mapper().readerFor(JsonNode.class)
                            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
        return subtreeReader;
    }

    @Override
    public final byte[] encode(T event) {
        ObjectNode json = mapper().createObjectNode();
        json.put(SCHEMA_VERSION_FIELD, SCHEMA_VERSION);
        write(event, json);
        try {
            return mapper().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event, e);
        }
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = strictMapper();
        }
        return mapper;
    }

    /** A mapper that refuses what a lenient parser would guess at. */
    static ObjectMapper strictMapper() {
        JsonFactory factory =
                JsonFactory.builder()
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(MAX_NESTING_DEPTH)
                                        .maxNumberLength(64)
                                        .build())
                        .build();
        return JsonMapper.builder(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }
}
