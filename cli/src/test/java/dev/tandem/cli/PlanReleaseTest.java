package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate plan} shows the release plan: the planner's phases in every format, planned
 * offline from the replayed history and with {@code --url} from the live catalog.
 */
class PlanReleaseTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;
    private String dir;

    /** A table, an index built without CONCURRENTLY, then a column tightened to NOT NULL. */
    @BeforeEach
    void history() throws IOException {
        Path db = Files.createDirectories(tmp.resolve("db"));
        Files.writeString(db.resolve("V1__create_things.sql"), "CREATE TABLE things (id bigint PRIMARY KEY, name text);\n");
        Files.writeString(db.resolve("V2__index_things.sql"), "CREATE INDEX things_name_idx ON things (name);\n");
        Files.writeString(db.resolve("V3__require_name.sql"), "ALTER TABLE things ALTER COLUMN name SET NOT NULL;\n");
        dir = db.toString();
    }

    @Test
    void jsonHasThePhasesWithTheIndexInExpandAndTheNotNullInContract() throws Exception {
        PlanCommandTest.Run r = PlanCommandTest.migrate("plan", dir, "--format", "json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero(); // expand-contract is carried out: exit codes are the classification's
        JsonNode root = MAPPER.readTree(r.out());
        JsonNode phases = root.get("phases");
        assertThat(phases.findValuesAsText("phase")).containsExactly("expand", "backfill", "contract");

        assertThat(sql(phases.get(0))).containsExactly(
                "CREATE TABLE things (id bigint PRIMARY KEY, name text)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS things_name_idx ON things (name)");
        JsonNode index = phases.get(0).get("steps").get(1);
        assertThat(index.get("type").asText()).isEqualTo("sql");
        assertThat(index.get("migration").asText()).isEqualTo("2");
        assertThat(index.get("line").asInt()).isEqualTo(1);
        assertThat(index.get("transactional").asBoolean()).isFalse();
        assertThat(index.get("locks").get(0).get("table").asText()).isEqualTo("public.things");
        assertThat(index.get("locks").get(0).get("mode").asText()).isEqualTo("ShareUpdateExclusiveLock");
        assertThat(index.get("cleanup").get("sql").asText()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS things_name_idx");
        assertThat(index.get("rollback").asText()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS things_name_idx");
        assertThat(index.get("destructive").asBoolean()).isFalse();

        assertThat(phases.get(1).get("steps")).isEmpty();

        assertThat(sql(phases.get(2))).containsExactly(
                "ALTER TABLE things ADD CONSTRAINT things_name_not_null_tandem CHECK (name IS NOT NULL) NOT VALID",
                "ALTER TABLE things VALIDATE CONSTRAINT things_name_not_null_tandem",
                "ALTER TABLE things ALTER COLUMN name SET NOT NULL",
                "ALTER TABLE things DROP CONSTRAINT IF EXISTS things_name_not_null_tandem");
        for (JsonNode step : phases.get(2).get("steps")) {
            assertThat(step.get("migration").asText()).isEqualTo("3");
            assertThat(step.get("transactional").asBoolean()).isTrue();
        }
        assertThat(root.get("unplanned")).isEmpty();
        assertThat(root.get("release").get("executable").asBoolean()).isTrue();
        assertThat(root.get("release").get("reversibleBeforeContract").asBoolean()).isTrue();
        // The classification beside the plan is as before.
        assertThat(root.get("summary").get("classification").asText()).isEqualTo("expand-contract");
    }

    @Test
    void textShowsThePhasesAndTheDeployLineBetweenBackfillAndContract() {
        PlanCommandTest.Run r = PlanCommandTest.migrate("plan", dir);
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        int release = lines.indexOf("Release plan: 2 expand, 0 backfill, 4 contract steps; every statement is planned");
        int backfill = lines.indexOf("BACKFILL  batched data changes: both application versions still run");
        int deploy = lines.indexOf("======== DEPLOY the new application version here; contract runs after the old version"
                + " is gone ========");
        int contract = lines.indexOf("CONTRACT  after the deploy, once the old application version is gone");
        assertThat(release).isPositive();
        assertThat(List.of(release, backfill, deploy, contract)).isSorted().doesNotHaveDuplicates();
        assertThat(lines.get(backfill + 1)).isEqualTo("  (nothing)");
        assertThat(lines).contains(
                "  2. " + dir + "/V2__index_things.sql:1  Build index things_name_idx on public.things without blocking "
                        + "writes (CONCURRENTLY: ShareUpdateExclusiveLock, two table scans; reads and writes go on).",
                "         CREATE INDEX CONCURRENTLY IF NOT EXISTS things_name_idx ON things (name)",
                "       no transaction (autocommit; safe to run again after an interruption)",
                "         ALTER TABLE things ALTER COLUMN name SET NOT NULL");
        assertThat(lines.get(lines.size() - 1)).startsWith("Summary: ").endsWith("Verdict: expand-contract");
    }

    @Test
    void markdownShowsThePhasesAndTheDeployPoint() {
        PlanCommandTest.Run r = PlanCommandTest.migrate("plan", dir, "--format", "markdown");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("### 🗺️ Release plan")
                .contains("**2** expand → **0** backfill → 🚀 deploy → **4** contract steps · every statement is planned.")
                .contains("  CREATE INDEX CONCURRENTLY IF NOT EXISTS things_name_idx ON things (name)\n")
                .contains("still run\n\n_nothing_\n\n> 🚀 **Deploy the new application version here.**");
    }

    @Test
    void unplannedStatementsAreListedAndTheExitCodeStaysTheClassifications() throws Exception {
        Files.writeString(tmp.resolve("db/V4__cluster.sql"), "CLUSTER things USING things_pkey;\n");
        PlanCommandTest.Run r = PlanCommandTest.migrate("plan", dir, "--format", "json");
        assertThat(r.exit()).isEqualTo(1); // blocking, as before the plan was shown
        JsonNode root = MAPPER.readTree(r.out());
        JsonNode u = root.get("unplanned").get(0);
        assertThat(u.get("migration").asText()).isEqualTo("4");
        assertThat(u.get("line").asInt()).isEqualTo(1);
        assertThat(u.get("sql").asText()).isEqualTo("CLUSTER things USING things_pkey");
        assertThat(u.get("reason").asText()).isEqualTo("blocking");
        assertThat(u.get("message").asText()).isNotBlank();
        assertThat(u.get("instead").asText()).isNotBlank();
        assertThat(root.get("release").get("executable").asBoolean()).isFalse();

        PlanCommandTest.Run text = PlanCommandTest.migrate("plan", dir);
        assertThat(text.out()).contains("  " + dir + "/V4__cluster.sql:1  blocking  CLUSTER things USING things_pkey\n");
    }

    /**
     * With {@code --url}, the applied V1 is not planned, and the live table is what the index and
     * the NOT NULL are planned against. The classifier and the planner each replay the pending
     * migrations into the schema: had they shared one model, the planner would have seen the
     * index and the NOT NULL as already there.
     */
    @Test
    void withUrlThePendingMigrationsArePlannedAgainstTheLiveSchema() throws Exception {
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            try (Connection c = db.connection(); var st = c.createStatement()) {
                st.execute("""
                        CREATE TABLE things (id bigint PRIMARY KEY, name text);
                        INSERT INTO things SELECT g, 'thing ' || g FROM generate_series(1, 100) g;
                        CREATE TABLE flyway_schema_history (
                            installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL,
                            type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int,
                            installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),
                            execution_time int NOT NULL, success boolean NOT NULL);
                        INSERT INTO flyway_schema_history
                            (installed_rank, version, description, type, script, installed_by, execution_time, success)
                        VALUES (1, '1', 'create things', 'SQL', 'V1__create_things.sql', 'ci', 5, true);
                        """);
            }
            String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + enc(db.user())
                    + (db.password() != null ? "&password=" + enc(db.password()) : "");
            PlanCommandTest.Run r = PlanCommandTest.migrate("plan", dir, "--url", url, "--format", "json");
            assertThat(r.err()).contains("1 of 3 migrations already applied, 2 to plan");
            assertThat(r.exit()).isZero();
            JsonNode phases = MAPPER.readTree(r.out()).get("phases");
            assertThat(sql(phases.get(0))).containsExactly(
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS things_name_idx ON things (name)");
            assertThat(sql(phases.get(2))).containsExactly(
                    "ALTER TABLE things ADD CONSTRAINT things_name_not_null_tandem CHECK (name IS NOT NULL) NOT VALID",
                    "ALTER TABLE things VALIDATE CONSTRAINT things_name_not_null_tandem",
                    "ALTER TABLE things ALTER COLUMN name SET NOT NULL",
                    "ALTER TABLE things DROP CONSTRAINT IF EXISTS things_name_not_null_tandem");
        }
    }

    private static List<String> sql(JsonNode phase) {
        List<String> out = new ArrayList<>();
        phase.get("steps").forEach(s -> out.add(s.get("sql").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
