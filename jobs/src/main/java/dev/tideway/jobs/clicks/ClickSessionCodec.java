package dev.tideway.jobs.clicks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.EventCodec;

/**
 * Sessions on the wire and in files:
 *
 * <pre>{"schemaVersion":1,"sessionId":"u-1@1764000000000","userId":"u-1",
 * "start":"2026-11-24T16:00:00Z","end":"2026-11-24T16:04:10Z","closedAt":"2026-11-24T16:34:10Z",
 * "clicks":7,"pageViews":4,"addToCarts":1,"checkouts":1,"purchases":1,"converted":true,
 * "pages":["/","/cart","/product/42"]}</pre>
 *
 * Its event time is {@code closedAt}: when the session became complete, so the latency metric
 * measures the job, not the gap, and files are partitioned by when sessions ended.
 */
public final class ClickSessionCodec implements EventCodec<ClickSession> {

    @Override
    public byte[] encode(ClickSession s) {
        ObjectNode json = OutputJson.object();
        json.put("sessionId", s.sessionId);
        json.put("userId", s.userId);
        json.put("start", OutputJson.time(s.start));
        json.put("end", OutputJson.time(s.end));
        json.put("closedAt", OutputJson.time(s.closedAt));
        json.put("clicks", s.clicks);
        json.put("pageViews", s.pageViews);
        json.put("addToCarts", s.addToCarts);
        json.put("checkouts", s.checkouts);
        json.put("purchases", s.purchases);
        json.put("converted", s.converted);
        ArrayNode pages = json.putArray("pages");
        s.pages.forEach(pages::add);
        return OutputJson.bytes(json);
    }

    @Override
    public DecodeResult<ClickSession> decode(byte[] payload) {
        return OutputJson.decode(
                payload,
                json -> {
                    ClickSession s = new ClickSession();
                    s.sessionId = json.text("sessionId");
                    s.userId = json.text("userId");
                    s.start = json.time("start");
                    s.end = json.time("end");
                    s.closedAt = json.time("closedAt");
                    s.clicks = (int) json.integer("clicks");
                    s.pageViews = (int) json.integer("pageViews");
                    s.addToCarts = (int) json.integer("addToCarts");
                    s.checkouts = (int) json.integer("checkouts");
                    s.purchases = (int) json.integer("purchases");
                    s.converted = json.bool("converted");
                    JsonNode pages = json.node("pages");
                    if (!pages.isArray()) {
                        throw new IllegalArgumentException("field 'pages' must be an array");
                    }
                    pages.forEach(p -> s.pages.add(p.asText()));
                    return s;
                });
    }

    @Override
    public Class<ClickSession> eventType() {
        return ClickSession.class;
    }

    @Override
    public long eventTimeOf(ClickSession s) {
        return s.closedAt;
    }

    @Override
    public String partitionKeyOf(ClickSession s) {
        return s.userId;
    }
}
