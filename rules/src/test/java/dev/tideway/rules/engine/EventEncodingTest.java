package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.rules.TestEvent;
import dev.tideway.rules.expression.EventSchema;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EventEncodingTest {
    private static final String[] TEXTS = {
        "", "a", "tx-1234567", "Zürich", "東京", "\uD83D\uDE00", null
    };

    @Test
    void everyFieldReadsBackAsTheEventsGetterGivesIt() throws Exception {
        EventEncoding<TestEvent> encoding = new EventEncoding<>(TestEvent.SCHEMA);
        EncodedEvent view = EncodedEvent.forSchema(TestEvent.SCHEMA);
        DataOutputSerializer out = new DataOutputSerializer(16);
        SplittableRandom random = new SplittableRandom(7);
        // Several events in one array, as they wait in a chunk, each read at its offset.
        byte[] chunk = new byte[1 << 16];
        int used = 0;
        TestEvent[] events = new TestEvent[200];
        int[] offsets = new int[events.length];
        for (int i = 0; i < events.length; i++) {
            TestEvent e =
                    new TestEvent(
                            TEXTS[random.nextInt(TEXTS.length)],
                            "k" + random.nextInt(1000),
                            TEXTS[random.nextInt(TEXTS.length)],
                            random.nextInt(5) == 0 ? Double.NaN : random.nextDouble() * 1e6 - 5e5,
                            random.nextBoolean(),
                            random.nextLong());
            e.latitude = -90 + 180 * random.nextDouble();
            e.longitude = random.nextBoolean() ? -0.0 : Double.NEGATIVE_INFINITY;
            encoding.encode(e, out);
            System.arraycopy(out.getSharedBuffer(), 0, chunk, used, out.length());
            events[i] = e;
            offsets[i] = used;
            used += out.length();
            assertThat(view.of(chunk, offsets[i]).length()).isEqualTo(out.length());
        }
        EventSchema<TestEvent> schema = TestEvent.SCHEMA;
        for (int i = 0; i < events.length; i++) {
            view.of(chunk, offsets[i]);
            for (int field = 0; field < schema.size(); field++) {
                Object expected = schema.value(field, events[i]);
                assertThat(view.value(field)).as("event %d field %d", i, field).isEqualTo(expected);
                if (expected instanceof Double) {
                    assertThat(Double.doubleToLongBits(view.number(field)))
                            .isEqualTo(Double.doubleToLongBits((Double) expected));
                }
            }
            int id = schema.indexOf(EventSchema.EVENT_ID);
            assertThat(view.utf8(id))
                    .isEqualTo(
                            events[i].id == null
                                    ? null
                                    : events[i].id.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFieldWhoseGetterFailedFailsWhenARuleReadsItNotBefore() throws Exception {
        EventSchema<TestEvent> schema =
                EventSchema.<TestEvent>builder("key")
                        .text(EventSchema.EVENT_ID, e -> e.id)
                        .number(EventSchema.EVENT_TIME, e -> e.time)
                        .text("key", e -> e.key)
                        .number("ratio", e -> 1 / Integer.parseInt(e.kind))
                        .build();
        EventEncoding<TestEvent> encoding = new EventEncoding<>(schema);
        DataOutputSerializer out = new DataOutputSerializer(16);
        encoding.encode(new TestEvent("e1", "k", "not a number", 0, false, 5), out);
        EncodedEvent view = EncodedEvent.forSchema(schema).of(out.getCopyOfBuffer(), 0);
        assertThat(view.text(0)).isEqualTo("e1");
        assertThat(view.number(1)).isEqualTo(5.0);
        assertThat(view.length()).isEqualTo(out.length());
        assertThatThrownBy(() -> view.number(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("field ratio")
                .hasMessageContaining("NumberFormatException");
    }
}
