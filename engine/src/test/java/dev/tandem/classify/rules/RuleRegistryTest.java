package dev.tandem.classify.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.classify.Rule;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every rule of both groups: a unique kebab-case id, a summary, and a fixture file of its own. */
class RuleRegistryTest {

    @Test
    void idsAreUniqueAndKebabCase() {
        List<Rule> rules = RuleRegistry.all();
        assertThat(rules).isNotEmpty();
        Set<String> seen = new HashSet<>();
        for (Rule r : rules) {
            assertThat(r.id()).as(r.getClass().getSimpleName()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
            assertThat(seen.add(r.id())).as("duplicate rule id %s", r.id()).isTrue();
        }
    }

    @Test
    void everyRuleHasASummaryAndIsNamedAfterItsHazard() {
        for (Rule r : RuleRegistry.all()) {
            assertThat(r.summary()).as(r.id()).isNotBlank().doesNotContain("\n");
            assertThat(r.getClass().getSimpleName()).as(r.id()).endsWith("Rule");
        }
    }

    @Test
    void everyRuleHasAFixtureFile() throws URISyntaxException {
        Path dir = Path.of(RuleRegistryTest.class.getClassLoader().getResource("fixtures").toURI());
        List<String> missing = RuleRegistry.all().stream().map(Rule::id)
                .filter(id -> !Files.isRegularFile(dir.resolve(id + ".sql"))).toList();
        assertThat(missing).as("rules without fixtures/<id>.sql").isEmpty();
    }

    @Test
    void groupsAreDisjointAndBothListed() {
        assertThat(RuleRegistry.all()).hasSize(RuleGroupA.rules().size() + RuleGroupB.rules().size());
        assertThat(RuleGroupA.rules()).hasSizeGreaterThanOrEqualTo(28);
        assertThat(RuleRegistry.all()).containsAll(RuleGroupA.rules()).containsAll(RuleGroupB.rules());
    }
}
