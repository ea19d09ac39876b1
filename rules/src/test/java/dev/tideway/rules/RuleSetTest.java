package dev.tideway.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How updates change a rule set: versions, activeFrom, removal, rejection, restore. */
class RuleSetTest {
    private static String rule(int version, String where, Long activeFrom) {
        return "{\"id\":\"r\",\"version\":"
                + version
                + ",\"key\":\"key\",\"within\":\"1 min\","
                + (activeFrom == null ? "" : "\"activeFrom\":" + activeFrom + ",")
                + "\"steps\":[{\"where\":\""
                + where
                + "\"}]}";
    }

    @Test
    void aNewVersionWithActiveFromKeepsThePreviousForEarlierEvents() {
        RuleSet rules = new RuleSet(TestEvent.SCHEMA);
        assertThat(rules.apply(rule(1, "flag", null)).status()).isEqualTo(RuleStatus.ACTIVE);
        assertThat(rules.apply(rule(2, "not flag", 1000L)).status()).isEqualTo(RuleStatus.ACTIVE);
        assertThat(rules.forEventTime("r", 999).version()).isEqualTo(1);
        assertThat(rules.forEventTime("r", 1000).version()).isEqualTo(2);
        rules.retirePrevious(1000);
        assertThat(rules.version("r", 1)).isNull();
        assertThat(rules.forEventTime("r", 5)).as("nothing older is left").isNull();
    }

    @Test
    void olderOrEqualVersionsAndInvalidRulesAreRejectedWithoutChange() {
        RuleSet rules = new RuleSet(TestEvent.SCHEMA);
        rules.apply(rule(2, "flag", null));
        RuleSet.Outcome same = rules.apply(rule(2, "not flag", null));
        assertThat(same.status()).isEqualTo(RuleStatus.REJECTED);
        assertThat(same.reason()).contains("not newer than the running version 2");
        RuleSet.Outcome broken = rules.apply(rule(3, "flag and", null));
        assertThat(broken.status()).isEqualTo(RuleStatus.REJECTED);
        assertThat(broken.reason()).contains("position");
        assertThat(rules.apply("[]").reason()).contains("JSON object");
        assertThat(rules.forEventTime("r", 0).version()).isEqualTo(2);
    }

    @Test
    void removalsStickUntilAHigherVersion() {
        RuleSet rules = new RuleSet(TestEvent.SCHEMA);
        rules.apply(rule(1, "flag", null));
        assertThat(rules.apply("{\"id\":\"r\",\"remove\":true}").status())
                .isEqualTo(RuleStatus.REMOVED);
        assertThat(rules.isRunning("r")).isFalse();
        assertThat(rules.apply(rule(1, "flag", null)).reason()).contains("removed at version 1");
        assertThat(rules.apply("{\"id\":\"nope\",\"remove\":true}").status())
                .isEqualTo(RuleStatus.REJECTED);
        assertThat(rules.apply(rule(2, "flag", null)).status()).isEqualTo(RuleStatus.ACTIVE);
    }

    @Test
    void entriesRoundTripThroughTheirJson() {
        RuleSet rules = new RuleSet(TestEvent.SCHEMA);
        rules.apply(rule(1, "flag", null));
        rules.apply(rule(2, "not flag", 1000L));
        RuleSet restored = new RuleSet(TestEvent.SCHEMA);
        rules.snapshot().forEach(restored::restore);
        assertThat(restored.snapshot()).isEqualTo(rules.snapshot());
        assertThat(restored.forEventTime("r", 999).version()).isEqualTo(1);
    }
}
