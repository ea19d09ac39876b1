package dev.tideway.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.EventCodec;
import java.io.IOException;

/** Rule statuses as JSON on the rule-status topic, keyed by rule id. */
public final class RuleStatusCodec implements EventCodec<RuleStatus> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public DecodeResult<RuleStatus> decode(byte[] payload) {
        try {
            return DecodeResult.valid(JSON.readValue(payload, RuleStatus.class));
        } catch (IOException e) {
            return DecodeResult.invalid("not a rule status: " + e.getMessage());
        }
    }

    @Override
    public byte[] encode(RuleStatus status) {
        try {
            return JSON.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + status, e);
        }
    }

    @Override
    public Class<RuleStatus> eventType() {
        return RuleStatus.class;
    }

    @Override
    public long eventTimeOf(RuleStatus status) {
        return status.handledAt;
    }

    @Override
    public String partitionKeyOf(RuleStatus status) {
        return status.ruleId == null ? "" : status.ruleId;
    }
}
