package dev.tideway.jobs.clicks;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output and state types, their JSON, and the options. */
class ClickTypesTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                ClickSession.class,
                FunnelCounts.class,
                SessionAccumulator.class,
                FurthestStep.class
            })
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void sessionJsonRoundTrip() {
        ClickSession s = new ClickSession();
        s.userId = "u-1";
        s.start = Clicks.T0;
        s.end = Clicks.T0 + 250_000;
        s.closedAt = s.end + 1_800_000;
        s.sessionId = ClickSession.idOf(s.userId, s.start);
        s.clicks = 7;
        s.pageViews = 4;
        s.addToCarts = 1;
        s.checkouts = 1;
        s.purchases = 1;
        s.converted = true;
        s.pages = List.of("/", "/cart", "/product/42");
        ClickSessionCodec codec = new ClickSessionCodec();

        byte[] json = codec.encode(s);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"start\":\"2026-11-24T16:00:00Z\"")
                .contains("\"schemaVersion\":1");
        assertThat(codec.decode(json).value()).isEqualTo(s);
        assertThat(codec.eventTimeOf(s)).isEqualTo(s.closedAt);
        assertThat(codec.decode("{\"schemaVersion\":1}".getBytes()).error())
                .contains("missing required field 'sessionId'");
    }

    @Test
    void funnelJsonRoundTrip() {
        FunnelCounts f =
                FunnelCounts.of(Clicks.T0, Clicks.T0 + 300_000, new long[] {120, 30, 12, 9});
        FunnelCountsCodec codec = new FunnelCountsCodec();

        assertThat(codec.decode(codec.encode(f)).value()).isEqualTo(f);
        assertThat(f.viewToCart).isEqualTo(0.25);
        assertThat(f.viewToPurchase).isEqualTo(0.075);
        assertThat(codec.eventTimeOf(f)).isEqualTo(Clicks.T0 + 299_999);
        assertThat(codec.decode("[1]".getBytes()).isValid()).isFalse();
    }

    @Test
    void optionsAreNamespacedAndRulesChecked() {
        assertThat(ClickOptions.all())
                .filteredOn(o -> o.key().startsWith("tideway.clicks."))
                .hasSize(12);
        assertThat(new Configuration().get(ClickOptions.ENGINE))
                .isEqualTo(ClickOptions.Engine.RULES);
        ClickRules defaults = ClickRules.defaults();
        assertThat(defaults.sessionGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.funnelWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.abandonTimeout()).isEqualTo(Duration.ofHours(1));

        Configuration config = new Configuration();
        config.set(ClickOptions.SESSION_GAP, Duration.ZERO);
        assertThatThrownBy(() -> ClickOptions.rules(config))
                .hasMessageContaining("tideway.clicks.session-gap must be positive");
    }
}
