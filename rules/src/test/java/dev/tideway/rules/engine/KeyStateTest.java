package dev.tideway.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A key state's round trip through its bytes, with texts left undecoded until read. */
class KeyStateTest {
    @Test
    void textsStayStoredBytesUntilReadAndAreWrittenBackUnchanged() throws Exception {
        Object[] values = {"tx-1", 12.5, null, "Zürich ☃ 東京", Boolean.TRUE, ""};
        KeyState state = new KeyState();
        state.nextSeq = 4;
        state.runs.add(
                new RuleRun(
                        "rule",
                        2,
                        new ArrayList<>(
                                List.of(
                                        new Partial(
                                                1,
                                                1_000,
                                                3,
                                                new ArrayList<>(
                                                        List.of(
                                                                new CapturedEvent(
                                                                        0, 3, values)))))),
                        new ArrayList<>()));
        DataOutputSerializer out = new DataOutputSerializer(64);
        state.write(out);
        byte[] stored = out.getCopyOfBuffer();

        KeyState read = KeyState.fromBytes(stored, new DataInputDeserializer());
        CapturedEvent event = read.runs.get(0).partials.get(0).events.get(0);
        assertThat(event.values[0]).isInstanceOf(StoredText.class);
        read.write(out);
        assertThat(out.getCopyOfBuffer()).as("written back undecoded").isEqualTo(stored);

        assertThat(event.text(0)).isEqualTo("tx-1");
        assertThat(event.text(3)).isEqualTo("Zürich ☃ 東京");
        assertThat(event.text(5)).isEmpty();
        assertThat(event.number(1)).isEqualTo(12.5);
        assertThat(event.values[2]).isNull();
        assertThat(event.bool(4)).isTrue();
        assertThat(event.values[0]).as("decoded once").isEqualTo("tx-1");
        read.write(out);
        assertThat(out.getCopyOfBuffer()).as("written back decoded").isEqualTo(stored);
    }
}
