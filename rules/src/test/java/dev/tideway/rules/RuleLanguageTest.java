package dev.tideway.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.rules.language.InvalidRuleException;
import dev.tideway.rules.language.RuleDefinition;
import dev.tideway.rules.language.RuleParser;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Parsing and type-checking: what a rule author sees when a rule is wrong. */
class RuleLanguageTest {

    private static RuleDefinition rule(String steps) {
        return RuleParser.parse(
                ("{`id`:`r`,`version`:1,`key`:`key`,`within`:`5 min`,`steps`:[" + steps + "]}")
                        .replace('`', '"'));
    }

    private static CompiledRule compiled(String steps) {
        return CompiledRule.compile(rule(steps), TestEvent.SCHEMA);
    }

    @Test
    void aFullRuleParses() {
        RuleDefinition r =
                RuleParser.parse(
                        "{\"language\":1,\"id\":\"r-1\",\"version\":3,\"key\":\"key\","
                                + "\"within\":\"PT2M\",\"activeFrom\":\"2026-12-01T12:00:00Z\","
                                + "\"steps\":[{\"name\":\"a\",\"where\":\"flag\",\"times\":2,"
                                + "\"contiguity\":\"next\"}],\"absent\":{\"where\":\"not flag\"},"
                                + "\"detail\":\"{a.kind}\"}");
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.within()).isEqualTo(Duration.ofMinutes(2));
        assertThat(r.activeFrom()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli());
        CompiledRule c = CompiledRule.compile(r, TestEvent.SCHEMA);
        assertThat(c.stages()).isEqualTo(2);
        assertThat(c.hasAbsent()).isTrue();
    }

    @Test
    void structuralErrorsNameTheField() {
        assertThatThrownBy(() -> RuleParser.parse("{\"id\":\"r\",\"version\":1}"))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageContaining("\"key\"");
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        "{\"id\":\"r\",\"version\":1,\"key\":\"key\",\"within\":\"soon\","
                                                + "\"steps\":[{\"where\":\"true\"}]}"))
                .hasMessageContaining("\"within\" is not a duration");
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        "{\"id\":\"r\",\"version\":0,\"key\":\"key\",\"within\":\"1 s\","
                                                + "\"steps\":[{\"where\":\"true\"}]}"))
                .hasMessageContaining("\"version\" must be a whole number >= 1");
        assertThatThrownBy(() -> rule("{`where`:`true`,`colour`:`red`}"))
                .hasMessageContaining("unknown field \"colour\" in a step");
        assertThatThrownBy(() -> rule("{`where`:`true`,`contiguity`:`soon`}"))
                .hasMessageContaining("\"next\" or \"followedBy\"");
        assertThatThrownBy(() -> rule("{`name`:`a`,`where`:`true`},{`name`:`a`,`where`:`true`}"))
                .hasMessageContaining("two steps are named \"a\"");
        assertThatThrownBy(() -> RuleParser.parse("{\"id\":\"r\", \"id\":\"s\"}"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void conditionErrorsGiveThePositionAndTheChoices() {
        assertThatThrownBy(() -> compiled("{`where`:`valeu > 3`}"))
                .hasMessageContaining("unknown field 'valeu'")
                .hasMessageContaining("value")
                .hasMessageContaining("position 1");
        assertThatThrownBy(() -> compiled("{`where`:`value > 'x'`}"))
                .hasMessageContaining("cannot compare number with text");
        assertThatThrownBy(() -> compiled("{`where`:`kind < 'x'`}"))
                .hasMessageContaining("text only compares with == and !=");
        assertThatThrownBy(() -> compiled("{`where`:`value + 1`}"))
                .hasMessageContaining("must be true or false");
        assertThatThrownBy(
                        () ->
                                compiled(
                                        "{`name`:`a`,`where`:`b.value > 1`},{`name`:`b`,`where`:`true`}"))
                .hasMessageContaining("'b' is not an earlier step");
        assertThatThrownBy(() -> compiled("{`where`:`(value > 1`}"))
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> compiled("{`where`:`speed(this, this) > 1`}"))
                .hasMessageContaining("unknown function speed");
        assertThatThrownBy(() -> compiled("{`where`:`kind == 'open`}"))
                .hasMessageContaining("unterminated text");
    }

    @Test
    void theKeyMustBeTheJobsKey() {
        assertThatThrownBy(
                        () ->
                                CompiledRule.compile(
                                        RuleParser.parse(
                                                "{\"id\":\"r\",\"version\":1,\"key\":\"kind\","
                                                        + "\"within\":\"1 s\",\"steps\":[{\"where\":\"true\"}]}"),
                                        TestEvent.SCHEMA))
                .hasMessageContaining("groups its events by \"key\"");
    }

    @Test
    void conditionsEvaluateWithTheLanguagesPrecedence() {
        CompiledRule c = compiled("{`where`:`not flag and value * 2 + 1 >= 7 or kind == 'z'`}");
        TestEvent e = new TestEvent("e", "k", "a", 3, false, 0);
        dev.tideway.rules.expression.Bindings b = bindings(e);
        assertThat(c.condition(0).bool(b)).isTrue(); // (not false) and (7 >= 7)
        e.value = 2.5;
        assertThat(c.condition(0).bool(b)).isFalse();
        e.kind = "z";
        assertThat(c.condition(0).bool(b)).isTrue();
    }

    private static dev.tideway.rules.expression.Bindings bindings(TestEvent e) {
        var view = TestEvent.SCHEMA.liveView().of(e);
        return new dev.tideway.rules.expression.Bindings() {
            @Override
            public dev.tideway.rules.expression.EventView current() {
                return view;
            }

            @Override
            public dev.tideway.rules.expression.EventView step(int step) {
                throw new AssertionError("no earlier step");
            }
        };
    }
}
