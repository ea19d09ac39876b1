package dev.tideway.connectors.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.common.codec.CardTransactionCodec;
import dev.tideway.common.codec.ClickEventCodec;
import dev.tideway.common.codec.EventCodec;
import dev.tideway.common.codec.SensorReadingCodec;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BadInputCorpusTest {

    @Test
    void checkedInCorpusIsWhatTheGeneratorWrites() throws Exception {
        assertThat(Files.readString(BadInputCorpus.FILE))
                .as("regenerate with BadInputCorpus.main")
                .isEqualTo(BadInputCorpus.toJsonLines(BadInputCorpus.generate()));
        assertThat(BadInputCorpus.load())
                .hasSize(BadInputCorpus.generate().size())
                .hasSizeGreaterThan(45);
    }

    static List<EventCodec<?>> codecs() {
        return List.of(new CardTransactionCodec(), new SensorReadingCodec(), new ClickEventCodec());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void everyKeyedEntryIsRejectedWithAReason(EventCodec<?> codec) {
        for (BadInputCorpus.Entry entry : BadInputCorpus.load()) {
            if (!entry.keyed()) {
                continue; // valid JSON: only the missing Kafka key makes it bad
            }
            var result = codec.decode(entry.payload());
            assertThat(result.isValid())
                    .as(entry.name() + " for " + codec.eventType().getSimpleName())
                    .isFalse();
            assertThat(result.error()).as(entry.name()).isNotBlank();
        }
    }

    /** The streaming decoder rejects every entry for the same reason as the former tree one. */
    @ParameterizedTest
    @MethodSource("codecs")
    void streamingAndTreeDecodersGiveTheSameReasons(EventCodec<?> codec) {
        var json = (dev.tideway.common.codec.JsonEventCodec<?>) codec;
        for (BadInputCorpus.Entry entry : BadInputCorpus.load()) {
            var streaming = json.decode(entry.payload());
            var tree = json.decodeWithTree(entry.payload());
            assertThat(streaming.isValid()).as(entry.name()).isEqualTo(tree.isValid());
            if (!tree.isValid() && !tree.error().startsWith("not valid JSON")) {
                assertThat(streaming.error()).as(entry.name()).isEqualTo(tree.error());
            } else if (!tree.isValid()) {
                assertThat(streaming.error()).as(entry.name()).startsWith("not valid JSON");
            }
        }
    }
}
