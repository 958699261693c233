package dev.tandem.cli;

import static dev.tandem.cli.ApplyCommandTest.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate plan --trace-url} on the real server: traced facts in the report, the scratch database gone after. */
class PlanTraceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theReleaseIsTracedOnAScratchDatabaseAndTheTracedFactsStandInTheReport() throws Exception {
        Files.writeString(dir.resolve("V1__t.sql"), "CREATE TABLE t (id bigint PRIMARY KEY, v int, s text);\n");
        Files.writeString(dir.resolve("V2__work.sql"), """
                CREATE INDEX t_v ON t (v);
                ALTER TABLE t ALTER COLUMN v TYPE bigint;
                DO $$ BEGIN PERFORM set_config('application_name', 'x', true); END $$;
                """);
        Files.writeString(dir.resolve("V3__online.sql"), "CREATE INDEX CONCURRENTLY t_s ON t (s);\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            PlanCommandTest.Run r = PlanCommandTest.migrate("plan", dir.toString(), "--trace-url", url(db), "--format", "json",
                    "--trace-rows", "50");
            assertThat(r.err()).contains("migrate: traced 5 statement(s) on a scratch database at ").contains(": 0 disagree with the rules");
            JsonNode root = MAPPER.readTree(r.out());
            List<JsonNode> statements = new ArrayList<>();
            root.get("migrations").forEach(m -> m.get("statements").forEach(statements::add));
            assertThat(statements).hasSize(5).allSatisfy(s -> assertThat(s.get("traced").asBoolean()).isTrue());
            JsonNode index = statements.get(1);
            assertThat(index.get("trace").get("how").asText()).isEqualTo("rolled-back");
            assertThat(index.get("trace").get("commands").get(0).asText()).isEqualTo("CREATE INDEX");
            assertThat(index.get("scans").get(0).asText()).isEqualTo("public.t");
            assertThat(statements.get(2).get("rewrites").get(0).asText()).isEqualTo("public.t");
            // the DO block touched no table: traced, it is compatible instead of review
            assertThat(statements.get(3).get("classification").asText()).isEqualTo("compatible");
            assertThat(statements.get(3).get("findings")).isEmpty();
            assertThat(statements.get(4).get("trace").get("how").asText()).isEqualTo("ran-for-real");
            // the user's database saw nothing, the scratch database is gone
            assertThat(ApplyCommandTest.rows(db, "SELECT count(*) FROM pg_class WHERE relname = 't'")).containsExactly("0");
            assertThat(ApplyCommandTest.rows(db, "SELECT count(*) FROM pg_database WHERE datname LIKE 'tandem\\_trace\\_%'"))
                    .containsExactly("0");

            PlanCommandTest.Run text = PlanCommandTest.migrate("plan", dir.toString(), "--trace-url", url(db));
            assertThat(text.out()).contains("traced   in a rolled-back transaction; what follows is what PostgreSQL did")
                    .contains("traced   ran for real (locks as documented)");
        }
    }

    /** timestamp → timestamptz depends on the session's TimeZone: the rules judge it for the trace session's. */
    @Test
    void theRulesJudgeTheTraceSessionsTimeZone() throws Exception {
        Files.writeString(dir.resolve("V1__t.sql"), "CREATE TABLE t (id bigint PRIMARY KEY, at timestamp);\n");
        Files.writeString(dir.resolve("V2__tz.sql"), "ALTER TABLE t ALTER COLUMN at TYPE timestamptz;\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            // the JDBC driver sends the JVM's zone when it connects (and it wins over options=-c TimeZone=…)
            java.util.TimeZone jvm = java.util.TimeZone.getDefault();
            for (String zone : List.of("UTC", "Europe/Berlin")) {
                PlanCommandTest.Run r;
                try {
                    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
                    r = PlanCommandTest.migrate("plan", dir.toString(), "--trace-url", url(db), "--format", "json");
                } finally {
                    java.util.TimeZone.setDefault(jvm);
                }
                assertThat(r.err()).as(zone).contains(": 0 disagree with the rules")
                        .contains("traced and classified with the session TimeZone " + zone);
                JsonNode change = MAPPER.readTree(r.out()).get("migrations").get(1).get("statements").get(0);
                assertThat(change.get("rewrites").size()).as(zone).isEqualTo(zone.equals("UTC") ? 0 : 1);
                assertThat(change.get("classification").asText()).as(zone)
                        .isEqualTo(zone.equals("UTC") ? "compatible" : "online-rewrite");
            }
        }
    }

    @Test
    void embeddedTracingSaysWhichVersionsItHasAndRefusesTwoPlacesToTrace() {
        PlanCommandTest.Run old = PlanCommandTest.migrate("plan", "../migrations-examples/flyway-shop", "--trace", "--pg-version", "12");
        assertThat(old.exit()).isEqualTo(2);
        assertThat(old.err()).contains("--trace has PostgreSQL 13, 14, 15, 16, 17, 18, not 12");
        PlanCommandTest.Run both = PlanCommandTest.migrate("plan", "../migrations-examples/flyway-shop", "--trace", "--trace-url",
                "postgres://x@127.0.0.1:1/x");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--trace and --trace-url contradict each other");
    }

    @Test
    void aServerThatCannotBeReachedIsBadInput() {
        PlanCommandTest.Run r = PlanCommandTest.migrate("plan", "../migrations-examples/flyway-shop", "--trace-url",
                "postgres://nobody@127.0.0.1:1/x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("migrate: ").doesNotContain("Exception");
    }
}
