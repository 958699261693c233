package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementClass;
import dev.tandem.plan.ReleasePlan;
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
                "findings", "suppressed", "traced");
        assertThat(s.get("traced").asBoolean()).isFalse();
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

    // ------------------------------------------------------------------ release plan

    private static JsonNode renderPlan(ReleasePlan plan) throws Exception {
        return MAPPER.readTree(new JsonRenderer().render(Samples.mixed(), plan));
    }

    @Test
    void withAPlanThePhasesAreAllThreeInOrderThenUnplannedAndRelease() throws Exception {
        JsonNode root = renderPlan(Samples.plan(List.of(Samples.INDEX_STEP), List.of(), List.of(), List.of()));
        assertThat(fields(root)).containsExactly("postgresVersion", "summary", "migrations", "phases", "unplanned", "release");
        JsonNode phases = root.get("phases");
        assertThat(phases).hasSize(3);
        assertThat(phases.findValuesAsText("phase")).containsExactly("expand", "backfill", "contract");
        for (JsonNode p : phases) assertThat(fields(p)).containsExactly("phase", "steps");
        assertThat(phases.get(0).get("steps")).hasSize(1);
        // An empty phase is there, with an empty array.
        assertThat(phases.get(1).get("steps").isArray()).isTrue();
        assertThat(phases.get(1).get("steps")).isEmpty();
        assertThat(phases.get(2).get("steps")).isEmpty();
        assertThat(root.get("unplanned").isArray()).isTrue();
        assertThat(root.get("unplanned")).isEmpty();
        JsonNode release = root.get("release");
        assertThat(fields(release)).containsExactly("executable", "reversibleBeforeContract", "gate");
        assertThat(release.get("executable").asBoolean()).isTrue();
        assertThat(release.get("reversibleBeforeContract").asBoolean()).isTrue();
        assertThat(release.get("gate").asText()).contains("between backfill and contract").contains("deploy");
        // The classification is unchanged by the plan.
        assertThat(root.get("migrations")).isEqualTo(render().get("migrations"));
        assertThat(root.get("summary")).isEqualTo(render().get("summary"));
    }

    @Test
    void sqlStepCarriesEveryField() throws Exception {
        JsonNode step = renderPlan(Samples.plan()).get("phases").get(0).get("steps").get(1);
        assertThat(fields(step)).containsExactly("type", "migration", "line", "purpose", "sql", "transactional", "locks",
                "onlyIf", "cleanup", "rollback", "irreversible", "destructive");
        assertThat(step.get("type").asText()).isEqualTo("sql");
        assertThat(step.get("migration").asText()).isEqualTo("2");
        assertThat(step.get("line").isInt()).isTrue();
        assertThat(step.get("line").asInt()).isEqualTo(5);
        assertThat(step.get("purpose").asText()).isEqualTo(Samples.INDEX_STEP.purpose());
        assertThat(step.get("sql").asText())
                .isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id)");
        assertThat(step.get("transactional").isBoolean()).isTrue();
        assertThat(step.get("transactional").asBoolean()).isFalse();
        assertThat(step.get("locks")).hasSize(1);
        assertThat(fields(step.get("locks").get(0))).containsExactly("table", "mode");
        assertThat(step.get("locks").get(0).get("table").asText()).isEqualTo("public.orders");
        assertThat(step.get("locks").get(0).get("mode").asText()).isEqualTo("ShareUpdateExclusiveLock");
        assertThat(step.get("onlyIf").asText()).isEqualTo("SELECT 1 WHERE to_regclass('orders_customer_idx') IS NULL");
        assertThat(fields(step.get("cleanup"))).containsExactly("when", "sql");
        assertThat(step.get("cleanup").get("when").asText()).isEqualTo(Samples.INDEX_STEP.cleanup().when());
        assertThat(step.get("cleanup").get("sql").asText()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx");
        assertThat(step.get("rollback").asText()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx");
        assertThat(step.get("irreversible").isNull()).isTrue();
        assertThat(step.get("destructive").asBoolean()).isFalse();
    }

    @Test
    void absentGuardsAndRollbackAreNullAndDestructiveStepsSaySo() throws Exception {
        JsonNode root = renderPlan(Samples.plan());
        JsonNode add = root.get("phases").get(0).get("steps").get(0);
        assertThat(add.get("transactional").asBoolean()).isTrue();
        assertThat(add.get("onlyIf").isNull()).isTrue();
        assertThat(add.get("cleanup").isNull()).isTrue();
        JsonNode drop = root.get("phases").get(2).get("steps").get(0);
        assertThat(fields(drop)).contains("rollback", "irreversible", "destructive");
        assertThat(drop.get("sql").asText()).isEqualTo("ALTER TABLE customers DROP COLUMN name");
        assertThat(drop.get("rollback").isNull()).isTrue();
        assertThat(drop.get("irreversible").asText()).isEqualTo("the values of name are deleted");
        assertThat(drop.get("destructive").asBoolean()).isTrue();
        assertThat(drop.get("locks").get(0).get("mode").asText()).isEqualTo("AccessExclusiveLock");
    }

    @Test
    void backfillStepCarriesEveryField() throws Exception {
        JsonNode steps = renderPlan(Samples.plan()).get("phases").get(1).get("steps");
        JsonNode update = steps.get(0);
        assertThat(fields(update)).containsExactly("type", "migration", "line", "purpose", "table", "key", "operation",
                "set", "where", "irreversible");
        assertThat(update.get("type").asText()).isEqualTo("backfill");
        assertThat(update.get("migration").asText()).isEqualTo("2");
        assertThat(update.get("line").asInt()).isEqualTo(2);
        assertThat(update.get("purpose").asText()).isEqualTo(Samples.BACKFILL_STEP.purpose());
        assertThat(update.get("table").asText()).isEqualTo("customers");
        assertThat(update.get("key").isArray()).isTrue();
        assertThat(update.get("key").get(0).asText()).isEqualTo("id");
        assertThat(update.get("operation").asText()).isEqualTo("update");
        assertThat(update.get("set").asText()).isEqualTo("full_name = name");
        assertThat(update.get("where").asText()).isEqualTo("full_name IS NULL");
        assertThat(update.get("irreversible").isNull()).isTrue();

        JsonNode delete = steps.get(1);
        assertThat(fields(delete)).isEqualTo(fields(update));
        assertThat(delete.get("operation").asText()).isEqualTo("delete");
        assertThat(delete.get("key").get(0).asText()).isEqualTo("tenant");
        assertThat(delete.get("key").get(1).asText()).isEqualTo("id");
        assertThat(delete.get("set").isNull()).isTrue();
        assertThat(delete.get("where").isNull()).isTrue();
        assertThat(delete.get("irreversible").asText()).isEqualTo("the deleted rows are gone");
    }

    @Test
    void unplannedStatementsAndReleaseFacts() throws Exception {
        JsonNode root = renderPlan(Samples.plan());
        JsonNode u = root.get("unplanned").get(0);
        assertThat(root.get("unplanned")).hasSize(1);
        assertThat(fields(u)).containsExactly("migration", "line", "sql", "reason", "message", "instead");
        assertThat(u.get("migration").asText()).isEqualTo("3");
        assertThat(u.get("line").asInt()).isEqualTo(4);
        assertThat(u.get("sql").asText()).isEqualTo("CLUSTER orders USING orders_pkey");
        assertThat(u.get("reason").asText()).isEqualTo("blocking");
        assertThat(u.get("message").asText()).isEqualTo(Samples.CLUSTER.message());
        assertThat(u.get("instead").asText()).isEqualTo(Samples.CLUSTER.fix());
        // Unplanned: not executable; the DELETE backfill cannot be undone, so the release cannot be abandoned cleanly.
        assertThat(root.get("release").get("executable").asBoolean()).isFalse();
        assertThat(root.get("release").get("reversibleBeforeContract").asBoolean()).isFalse();
    }

    @Test
    void withoutAPlanPhasesStayAnEmptyArray() throws Exception {
        JsonNode root = render();
        assertThat(root.get("phases")).isEmpty();
        assertThat(root.has("unplanned")).isFalse();
        assertThat(root.has("release")).isFalse();
    }
}
