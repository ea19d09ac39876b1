package dev.tideway.jobs.clicks;

import dev.tideway.common.model.ClickAction;
import dev.tideway.common.model.ClickEvent;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Named instants and click builders for the harness tests. */
final class Clicks {
    static final long T0 = Instant.parse("2026-11-24T16:00:00Z").toEpochMilli();

    private Clicks() {}

    static long at(long offsetMillis) {
        return T0 + offsetMillis;
    }

    static long sec(long s) {
        return s * 1000;
    }

    static long min(long m) {
        return m * 60_000;
    }

    static ClickEvent click(String id, String user, ClickAction action, String page, long time) {
        return new ClickEvent(id, user, "s-" + user, page, action, time);
    }

    static ClickEvent view(String id, String user, String page, long time) {
        return click(id, user, ClickAction.VIEW, page, time);
    }

    static ClickEvent cart(String id, String user, long time) {
        return click(id, user, ClickAction.ADD_TO_CART, "/product/1", time);
    }

    static ClickEvent checkout(String id, String user, long time) {
        return click(id, user, ClickAction.CHECKOUT, "/checkout", time);
    }

    static ClickEvent purchase(String id, String user, long time) {
        return click(id, user, ClickAction.PURCHASE, "/checkout/confirmation", time);
    }

    /** A keyed stream of clicks to build one of the job's operators on, as the job does. */
    static KeyedStream<ClickEvent, String> users() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<ClickEvent> clicks =
                env.fromData(
                        java.util.List.of(view("x", "x", "/", T0)), Types.POJO(ClickEvent.class));
        return clicks.keyBy(c -> c.userId, Types.STRING);
    }

    /** A harness around the operator the job builds, not a copy of it. */
    @SuppressWarnings("unchecked")
    static <IN, OUT, K> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> harness(
            SingleOutputStreamOperator<OUT> built,
            org.apache.flink.api.java.functions.KeySelector<IN, K> key,
            org.apache.flink.api.common.typeinfo.TypeInformation<K> keyType)
            throws Exception {
        OneInputTransformation<IN, OUT> transformation =
                (OneInputTransformation<IN, OUT>) built.getTransformation();
        StreamOperatorFactory<OUT> factory = transformation.getOperatorFactory();
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(factory, key, keyType);
        harness.open();
        return harness;
    }

    static <K, OUT> void send(
            KeyedOneInputStreamOperatorTestHarness<K, ClickEvent, OUT> h, ClickEvent... clicks)
            throws Exception {
        for (ClickEvent c : clicks) {
            h.processElement(c, c.eventTime);
        }
    }
}
