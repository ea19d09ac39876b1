package dev.tideway.jobs.clicks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tideway.common.codec.DecodeResult;
import dev.tideway.common.codec.EventCodec;

/**
 * Funnel windows on the wire and in files:
 *
 * <pre>{"schemaVersion":1,"windowStart":"2026-11-24T16:00:00Z","windowEnd":"2026-11-24T16:05:00Z",
 * "viewed":120,"addedToCart":30,"checkedOut":12,"purchased":9,"viewToCart":0.25,
 * "cartToCheckout":0.4,"checkoutToPurchase":0.75,"viewToPurchase":0.075}</pre>
 *
 * Its event time is the window's last millisecond: the window lands in its own hour's partition,
 * and the latency metric measures from the moment the window could close. Keyed by window start.
 */
public final class FunnelCountsCodec implements EventCodec<FunnelCounts> {

    @Override
    public byte[] encode(FunnelCounts f) {
        ObjectNode json = OutputJson.object();
        json.put("windowStart", OutputJson.time(f.windowStart));
        json.put("windowEnd", OutputJson.time(f.windowEnd));
        json.put("viewed", f.viewed);
        json.put("addedToCart", f.addedToCart);
        json.put("checkedOut", f.checkedOut);
        json.put("purchased", f.purchased);
        json.put("viewToCart", f.viewToCart);
        json.put("cartToCheckout", f.cartToCheckout);
        json.put("checkoutToPurchase", f.checkoutToPurchase);
        json.put("viewToPurchase", f.viewToPurchase);
        return OutputJson.bytes(json);
    }

    @Override
    public DecodeResult<FunnelCounts> decode(byte[] payload) {
        return OutputJson.decode(
                payload,
                json -> {
                    FunnelCounts f = new FunnelCounts();
                    f.windowStart = json.time("windowStart");
                    f.windowEnd = json.time("windowEnd");
                    f.viewed = json.integer("viewed");
                    f.addedToCart = json.integer("addedToCart");
                    f.checkedOut = json.integer("checkedOut");
                    f.purchased = json.integer("purchased");
                    f.viewToCart = json.number("viewToCart");
                    f.cartToCheckout = json.number("cartToCheckout");
                    f.checkoutToPurchase = json.number("checkoutToPurchase");
                    f.viewToPurchase = json.number("viewToPurchase");
                    return f;
                });
    }

    @Override
    public Class<FunnelCounts> eventType() {
        return FunnelCounts.class;
    }

    @Override
    public long eventTimeOf(FunnelCounts f) {
        return f.windowEnd - 1;
    }

    @Override
    public String partitionKeyOf(FunnelCounts f) {
        return OutputJson.time(f.windowStart);
    }
}
