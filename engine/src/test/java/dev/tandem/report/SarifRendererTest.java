package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.classify.StatementClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SarifRendererTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode render() throws Exception {
        String sarif = new SarifRenderer("0.1.0", Samples.rules(), ScriptLocator.under(Path.of("db/migration")))
                .render(Samples.mixed());
        return MAPPER.readTree(sarif);
    }

    @Test
    void hasTheSarif210Skeleton() throws Exception {
        JsonNode root = render();
        assertThat(root.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        assertThat(root.get("version").asText()).isEqualTo("2.1.0");
        assertThat(root.get("runs")).hasSize(1);
        JsonNode driver = root.get("runs").get(0).get("tool").get("driver");
        assertThat(driver.get("name").asText()).isEqualTo("tandem");
        assertThat(driver.get("version").asText()).isEqualTo("0.1.0");
        assertThat(root.get("runs").get(0).get("results").isArray()).isTrue();
    }

    @Test
    void listsEveryRegisteredRuleAndEveryRuleAFindingUses() throws Exception {
        JsonNode rules = render().get("runs").get(0).get("tool").get("driver").get("rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.get("id").asText()));
        // The registry's rules first, in order, then ids that only findings use ("cluster").
        assertThat(ids).containsExactly("rename-column", "create-index-non-concurrently", "missing-lock-timeout", "cluster");
        assertThat(rules.get(0).get("shortDescription").get("text").asText())
                .isEqualTo("Renaming a column breaks the running application");
    }

    @Test
    void oneResultPerFindingWithLevelMessageAndLocation() throws Exception {
        JsonNode run = render().get("runs").get(0);
        JsonNode results = run.get("results");
        assertThat(results).hasSize(4); // the suppressed finding is not a result

        JsonNode rename = results.get(0);
        assertThat(rename.get("ruleId").asText()).isEqualTo("rename-column");
        assertThat(rename.get("level").asText()).isEqualTo("warning");
        assertThat(rename.get("message").get("text").asText())
                .contains(Samples.RENAME.message()).contains("Fix: " + Samples.RENAME.fix());
        JsonNode loc = rename.get("locations").get(0).get("physicalLocation");
        assertThat(loc.get("artifactLocation").get("uri").asText()).isEqualTo("db/migration/V2__rename_customer_name.sql");
        assertThat(loc.get("region").get("startLine").asInt()).isEqualTo(2);

        assertThat(results.get(1).get("ruleId").asText()).isEqualTo("missing-lock-timeout");
        assertThat(results.get(1).get("level").asText()).isEqualTo("note");
        assertThat(results.get(2).get("level").asText()).isEqualTo("warning");
        assertThat(results.get(2).get("locations").get(0).get("physicalLocation").get("region").get("startLine").asInt())
                .isEqualTo(5);
        JsonNode cluster = results.get(3);
        assertThat(cluster.get("ruleId").asText()).isEqualTo("cluster");
        assertThat(cluster.get("level").asText()).isEqualTo("error");

        // Every ruleIndex points at the rule with the same id.
        JsonNode rules = run.get("tool").get("driver").get("rules");
        for (JsonNode r : results) {
            assertThat(rules.get(r.get("ruleIndex").asInt()).get("id").asText()).isEqualTo(r.get("ruleId").asText());
        }
    }

    @Test
    void levelsFollowTheClass() {
        assertThat(SarifRenderer.level(StatementClass.BLOCKING)).isEqualTo("error");
        assertThat(SarifRenderer.level(StatementClass.REVIEW)).isEqualTo("error");
        assertThat(SarifRenderer.level(StatementClass.EXPAND_CONTRACT)).isEqualTo("warning");
        assertThat(SarifRenderer.level(StatementClass.ONLINE_REWRITE)).isEqualTo("warning");
        assertThat(SarifRenderer.level(StatementClass.COMPATIBLE)).isEqualTo("note");
    }

    @Test
    void noFindingsGiveAnEmptyResultsArray() throws Exception {
        JsonNode root = MAPPER.readTree(new SarifRenderer(null, Samples.rules(), ScriptLocator.asGiven())
                .render(Samples.compatible()));
        JsonNode run = root.get("runs").get(0);
        assertThat(run.get("results").isArray()).isTrue();
        assertThat(run.get("results")).isEmpty();
        assertThat(run.get("tool").get("driver").has("version")).isFalse();
        assertThat(run.get("tool").get("driver").get("rules")).hasSize(3);
    }
}
