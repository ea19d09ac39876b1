package dev.tideway.common.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
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
    private transient ObjectMapper mapper;

    protected JsonEventCodec(CodecSettings settings, Set<String> fields) {
        this.settings = settings;
        this.fields = new TreeSet<>(fields);
        this.fields.add(SCHEMA_VERSION_FIELD);
    }

    abstract T read(JsonFields json);

    abstract void write(T event, ObjectNode json);

    @Override
    public final DecodeResult<T> decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return DecodeResult.invalid("empty payload");
        }
        if (payload.length > settings.maxPayloadBytes()) {
            return DecodeResult.invalid(
                    "payload is "
                            + payload.length
                            + " bytes, larger than the limit of "
                            + settings.maxPayloadBytes()
                            + " bytes");
        }
        String text;
        try {
            // Strict UTF-8 first: the JSON parser tolerates overlong and other malformed forms.
            text =
                    java.nio.charset.StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(payload))
                            .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return DecodeResult.invalid("not valid UTF-8: " + e.getMessage());
        }
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
        try {
            ObjectNode object = (ObjectNode) root;
            checkFieldNames(object);
            JsonFields json = new JsonFields(object, settings);
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

    private void checkFieldNames(ObjectNode object) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidEventException(
                        "unknown field '"
                                + JsonFields.abbreviate(name)
                                + "'; expected only "
                                + fields);
            }
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
