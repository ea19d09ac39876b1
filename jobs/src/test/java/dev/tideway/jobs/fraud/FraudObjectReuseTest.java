package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;

/**
 * The fraud job reuses objects with the rules engine, not with flink-cep, and obeys an explicit
 * setting.
 */
class FraudObjectReuseTest {
    @Test
    void theRulesEngineReusesObjectsUnlessTheConfigurationSaysOtherwise() {
        Configuration unset = new Configuration();
        assertThat(FraudDetectionJob.reusesObjects(FraudOptions.Engine.RULES, unset)).isTrue();
        assertThat(FraudDetectionJob.reusesObjects(FraudOptions.Engine.CEP, unset)).isFalse();

        Configuration off = new Configuration();
        off.set(PipelineOptions.OBJECT_REUSE, false);
        assertThat(FraudDetectionJob.reusesObjects(FraudOptions.Engine.RULES, off)).isFalse();

        Configuration on = new Configuration();
        on.set(PipelineOptions.OBJECT_REUSE, true);
        assertThat(FraudDetectionJob.reusesObjects(FraudOptions.Engine.CEP, on)).isTrue();
    }
}
