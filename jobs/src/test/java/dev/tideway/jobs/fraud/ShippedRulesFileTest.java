package dev.tideway.jobs.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** flink-conf/rules/fraud-rules.json is the built-in rules, so the example cannot drift. */
class ShippedRulesFileTest {
    @Test
    void theShippedFileHoldsTheBuiltInRules() {
        List<RuleDefinition> shipped =
                RuleParser.parseFile(Path.of("..", "flink-conf", "rules", "fraud-rules.json"));
        List<RuleDefinition> builtIn = CardRules.defaults(FraudRules.defaults());
        assertThat(shipped)
                .extracting(RuleDefinition::json)
                .containsExactlyElementsOf(builtIn.stream().map(RuleDefinition::json).toList());
        assertThat(
                        FraudRulesCommand.validate(
                                Path.of("..", "flink-conf", "rules", "fraud-rules.json")))
                .hasSize(3);
    }
}
