package dev.tideway.jobs.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.common.model.SensorReading;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class SensorOptionsTest {

    @Test
    void allListsEveryOptionOfTheClassUnderTheSensorsNamespace() throws Exception {
        List<ConfigOption<?>> all = SensorOptions.all();
        for (Field field : SensorOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                assertThat(all).as(option.key()).contains(option);
                assertThat(option.key()).startsWith("tideway.sensors.");
                assertThat(option.description().toString()).isNotBlank();
            }
        }
    }

    @Test
    void thresholdsAreReadPerMetricAndABadLimitNamesTheOption() {
        Configuration config = new Configuration();
        config.setString(SensorOptions.THRESHOLDS.key(), "temperature:75.5,co2:1200");
        SensorRules rules = SensorOptions.rules(config);
        assertThat(rules.thresholdsView())
                .containsOnly(Map.entry("temperature", 75.5), Map.entry("co2", 1200.0));

        config.setString(SensorOptions.THRESHOLDS.key(), "temperature:hot");
        assertThatThrownBy(() -> SensorOptions.rules(config))
                .hasMessageContaining("tideway.sensors.threshold.limits")
                .hasMessageContaining("'temperature'")
                .hasMessageContaining("'hot'");
    }

    @Test
    void invalidRuleSettingsNameTheirOption() {
        Map<String, String> bad = new HashMap<>();
        bad.put(SensorOptions.WINDOW.key(), "0 s");
        bad.put(SensorOptions.THRESHOLD_COUNT.key(), "0");
        bad.put(SensorOptions.JUMP_FACTOR.key(), "-1");
        bad.put(SensorOptions.SILENCE_TIMEOUT.key(), "0 s");
        bad.forEach(
                (key, value) -> {
                    Configuration config = new Configuration();
                    config.setString(key, value);
                    assertThatThrownBy(() -> SensorOptions.rules(config))
                            .as(key)
                            .hasMessageContaining(key);
                });
        assertThat(SensorRules.defaults().silenceTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theThresholdConditionComparesWithTheMetricsOwnLimit() {
        Map<String, Double> limits = SensorRules.defaults().thresholds();
        assertThat(ThresholdRule.isAbove(limits, reading("temperature", 80.1))).isTrue();
        assertThat(ThresholdRule.isAbove(limits, reading("temperature", 80))).isFalse();
        assertThat(ThresholdRule.isAbove(limits, reading("pressure", 350))).isFalse();
        assertThat(ThresholdRule.isAbove(limits, reading("unlisted", 1e9))).isFalse();
    }

    private static SensorReading reading(String metric, double value) {
        return new SensorReading("r", "s", "site", metric, value, "celsius", 0);
    }
}
