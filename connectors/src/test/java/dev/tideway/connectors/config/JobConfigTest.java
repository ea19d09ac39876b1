package dev.tideway.connectors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.connectors.kafka.KafkaOptions;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobConfigTest {

    @Test
    void readsBothArgumentForms() {
        Configuration config =
                JobConfig.load(
                        new String[] {
                            "--tideway.kafka.bootstrap-servers",
                            "broker:9093",
                            "--tideway.kafka.bounded=true",
                            "--execution.checkpointing.interval",
                            "7s"
                        },
                        List.of(KafkaOptions.BOOTSTRAP_SERVERS, KafkaOptions.BOUNDED));

        assertThat(config.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker:9093");
        assertThat(config.get(KafkaOptions.BOUNDED)).isTrue();
        assertThat(config.getString("execution.checkpointing.interval", null)).isEqualTo("7s");
    }

    @Test
    void unknownTidewayOptionFailsFastListingTheKnownOnes() {
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        new String[] {"--tideway.kafka.bootstrap-server", "x"},
                                        List.of(KafkaOptions.BOOTSTRAP_SERVERS)))
                .hasMessageContaining("Unknown option(s) [tideway.kafka.bootstrap-server]")
                .hasMessageContaining("tideway.kafka.bootstrap-servers");
    }

    @Test
    void optionWithoutValueOrDashesIsRefused() {
        assertThatThrownBy(
                        () -> JobConfig.load(new String[] {"--tideway.kafka.bounded"}, List.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> JobConfig.load(new String[] {"bounded"}, List.of()))
                .hasMessageContaining("options are --key value");
    }

    @Test
    void theProjectsProfilesLoadAndAMissingOneNamesTheFileExpected(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path confDir = java.nio.file.Path.of("..", "flink-conf");
        for (String profile : List.of("low-latency", "high-throughput")) {
            Configuration overrides = JobConfig.loadProfile(confDir, profile);
            assertThat(overrides.keySet()).as(profile).isNotEmpty();
            assertThat(overrides.keySet())
                    .allMatch(k -> !k.startsWith("tideway.") || k.contains("."));
        }
        assertThat(
                        JobConfig.loadProfile(confDir, "low-latency")
                                .getString("execution.checkpointing.interval", null))
                .isEqualTo("1s");
        java.nio.file.Files.createDirectories(tmp.resolve("profiles"));
        assertThatThrownBy(() -> JobConfig.loadProfile(tmp, "fast"))
                .hasMessageContaining("No tuning profile 'fast' (TIDEWAY_PROFILE)");
    }
}
