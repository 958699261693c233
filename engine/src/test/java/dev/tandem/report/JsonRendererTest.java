package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementClass;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonRendererTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode render() throws Exception {
        return MAPPER.readTree(new JsonRenderer().render(Samples.mixed()));
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void topLevelFollowsTheContract() throws Exception {
        JsonNode root = render();
        assertThat(fields(root)).containsExactly("postgresVersion", "summary", "migrations", "phases");
        assertThat(root.get("postgresVersion").isTextual()).isTrue();
        assertThat(root.get("postgresVersion").asText()).isEqualTo("15");
        assertThat(root.get("phases").isArray()).isTrue();
        assertThat(root.get("phases")).isEmpty();
        assertThat(root.get("migrations")).hasSize(3);
    }

    @Test
    void migrationsCarryVersionDescriptionScriptAndClass() throws Exception {
        JsonNode m = render().get("migrations").get(1);
        assertThat(fields(m)).containsExactly("version", "description", "script", "classification", "statements");
        assertThat(m.get("version").asText()).isEqualTo("2");
        assertThat(m.get("description").asText()).isEqualTo("rename customer name");
        assertThat(m.get("script").asText()).isEqualTo("V2__rename_customer_name.sql");
        assertThat(m.get("classification").asText()).isEqualTo("expand-contract");
        assertThat(m.get("statements")).hasSize(2);
    }

    @Test
    void statementsCarryLocksRewritesScansAndFindings() throws Exception {
        JsonNode s = render().get("migrations").get(1).get("statements").get(0);
        assertThat(fields(s)).containsExactly("line", "sql", "classification", "locks", "rewrites", "scans",
                "findings", "suppressed");
        assertThat(s.get("line").isInt()).isTrue();
        assertThat(s.get("line").asInt()).isEqualTo(2);
        assertThat(s.get("sql").asText()).isEqualTo("ALTER TABLE customers RENAME COLUMN name TO full_name");
        assertThat(s.get("classification").asText()).isEqualTo("expand-contract");
        JsonNode lock = s.get("locks").get(0);
        assertThat(fields(lock)).containsExactly("table", "mode");
        assertThat(lock.get("table").asText()).isEqualTo("public.customers");
        assertThat(lock.get("mode").asText()).isEqualTo("AccessExclusiveLock");
        assertThat(s.get("rewrites")).isEmpty();
        assertThat(s.get("scans")).isEmpty();
        JsonNode f = s.get("findings").get(0);
        assertThat(fields(f)).containsExactly("rule", "severity", "message", "fix");
        assertThat(f.get("rule").asText()).isEqualTo("rename-column");
        assertThat(f.get("severity").asText()).isEqualTo("expand-contract");
        assertThat(f.get("message").asText()).isEqualTo(Samples.RENAME.message());
        assertThat(f.get("fix").asText()).isEqualTo(Samples.RENAME.fix());
        assertThat(s.get("findings").get(1).get("severity").asText()).isEqualTo("compatible");

        JsonNode index = render().get("migrations").get(1).get("statements").get(1);
        assertThat(index.get("locks").get(0).get("mode").asText()).isEqualTo("ShareLock");
        assertThat(index.get("scans").get(0).asText()).isEqualTo("public.orders");

        JsonNode cluster = render().get("migrations").get(2).get("statements").get(1);
        assertThat(cluster.get("rewrites").get(0).asText()).isEqualTo("public.orders");
        JsonNode select = render().get("migrations").get(2).get("statements").get(0);
        assertThat(select.get("suppressed").get(0).asText()).isEqualTo("missing-lock-timeout");
    }

    @Test
    void fullMultiLineSqlIsKept() throws Exception {
        JsonNode s = render().get("migrations").get(0).get("statements").get(0);
        assertThat(s.get("sql").asText()).isEqualTo("CREATE TABLE customers (\n  id bigint PRIMARY KEY,\n  name text\n)");
    }

    @Test
    void summaryCountsEveryClass() throws Exception {
        JsonNode sum = render().get("summary");
        assertThat(sum.get("classification").asText()).isEqualTo("blocking");
        assertThat(sum.get("migrations").asInt()).isEqualTo(3);
        assertThat(sum.get("statements").asInt()).isEqualTo(5);
        assertThat(sum.get("findings").asInt()).isEqualTo(4);
        assertThat(sum.get("suppressed").asInt()).isEqualTo(1);
        assertThat(fields(sum.get("statementsByClass")))
                .containsExactly("compatible", "online-rewrite", "expand-contract", "review", "blocking");
        assertThat(sum.get("statementsByClass").get("compatible").asInt()).isEqualTo(2);
        assertThat(sum.get("statementsByClass").get("online-rewrite").asInt()).isEqualTo(1);
        assertThat(sum.get("statementsByClass").get("review").asInt()).isZero();
        assertThat(sum.get("migrationsByClass").get("expand-contract").asInt()).isEqualTo(1);
        assertThat(sum.get("migrationsByClass").get("blocking").asInt()).isEqualTo(1);
    }

    @Test
    void repeatableMigrationHasNullVersion() throws Exception {
        ClassifiedSet set = new ClassifiedSet(PgVersion.DEFAULT, List.of(new MigrationResult(
                new Migration(null, "view", "R__view.sql", MigrationType.REPEATABLE, List.of(), true, Set.of()),
                StatementClass.COMPATIBLE, List.of())));
        JsonNode root = MAPPER.readTree(new JsonRenderer().render(set));
        assertThat(root.get("postgresVersion").asText()).isEqualTo("16");
        assertThat(root.get("migrations").get(0).get("version").isNull()).isTrue();
        assertThat(root.get("migrations").get(0).get("statements")).isEmpty();
        assertThat(root.get("summary").get("classification").asText()).isEqualTo("compatible");
    }
}
