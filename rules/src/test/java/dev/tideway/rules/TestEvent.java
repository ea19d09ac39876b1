package dev.tideway.rules;

import dev.tideway.rules.expression.EventSchema;

/** A small event for the engine's own tests: a Flink POJO with one field of every kind. */
public class TestEvent {
    public String id;
    public String key;
    public String kind;
    public double value;
    public boolean flag;
    public double latitude;
    public double longitude;
    public long time;

    public TestEvent() {}

    public TestEvent(String id, String key, String kind, double value, boolean flag, long time) {
        this.id = id;
        this.key = key;
        this.kind = kind;
        this.value = value;
        this.flag = flag;
        this.time = time;
    }

    public static final EventSchema<TestEvent> SCHEMA =
            EventSchema.<TestEvent>builder("key")
                    .text(EventSchema.EVENT_ID, e -> e.id)
                    .number(EventSchema.EVENT_TIME, e -> e.time)
                    .text("key", e -> e.key)
                    .text("kind", e -> e.kind)
                    .number("value", e -> e.value)
                    .bool("flag", e -> e.flag)
                    .number("latitude", e -> e.latitude)
                    .number("longitude", e -> e.longitude)
                    .rebuiltBy(TestEvent::rebuild)
                    .build();

    private static TestEvent rebuild(EventSchema.Fields f) {
        TestEvent e =
                new TestEvent(
                        f.text(EventSchema.EVENT_ID),
                        f.text("key"),
                        f.text("kind"),
                        f.number("value"),
                        f.bool("flag"),
                        (long) f.number(EventSchema.EVENT_TIME));
        e.latitude = f.number("latitude");
        e.longitude = f.number("longitude");
        return e;
    }

    @Override
    public String toString() {
        return id + "(" + key + "," + kind + "," + value + "," + flag + ",t=" + time + ")";
    }
}
