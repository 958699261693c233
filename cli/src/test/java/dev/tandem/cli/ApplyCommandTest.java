package dev.tandem.cli;

import static dev.tandem.cli.PlanCommandTest.migrate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.exec.RunLock;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate apply}, {@code status} and {@code rollback} through the command line against a real
 * PostgreSQL: the deploy order, the exit codes of issue 4, and Flyway's view of the result.
 */
class ApplyCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CUSTOMERS = """
            CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, region text);
            INSERT INTO customers SELECT i, 'c' || i, 'eu' FROM generate_series(1, 50) i;
            """;

    @TempDir
    Path dir;

    @Test
    void aReleaseRunsInDeployOrderAndEndsInFlywaysHistory() throws Exception {
        write("V1__customers.sql", CUSTOMERS);
        write("V2__rename.sql", "ALTER TABLE customers RENAME COLUMN name TO full_name;\n");
        write("V3__index.sql", "CREATE INDEX customers_region ON customers (region);\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            flyway(db).target("1").load().migrate();
            String url = url(db);

            PlanCommandTest.Run expand = migrate("apply", dir.toString(), "--url", url, "--phase", "expand");
            assertThat(expand.exit()).as(expand.err()).isZero();
            assertThat(expand.err()).contains("1 of 3 migrations already applied, 2 to plan");
            assertThat(expand.out()).contains("[expand 1] migration 2, line 1: started: ").contains("[expand 4] migration 3, line 1: started: CREATE INDEX CONCURRENTLY")
                    .contains("Deploy the new application version now")
                    .contains("migrate apply --phase contract");

            // contract before backfill: refused, nothing runs
            PlanCommandTest.Run early = migrate("apply", dir.toString(), "--url", url, "--phase", "contract");
            assertThat(early.exit()).isEqualTo(1);
            assertThat(early.err()).contains("contract runs after backfill, which is not done");

            PlanCommandTest.Run status = migrate("status", "--url", url, "--format", "json");
            assertThat(status.exit()).as(status.err()).isZero();
            JsonNode state = MAPPER.readTree(status.out());
            assertThat(state.path("release").path("status").asText()).isEqualTo("stopped");
            assertThat(state.path("steps").size()).isGreaterThan(2);

            PlanCommandTest.Run all = migrate("apply", dir.toString(), "--url", url, "--phase", "all");
            assertThat(all.exit()).as(all.err()).isZero();
            assertThat(all.err()).contains("continuing release");
            assertThat(all.out()).contains("done by an earlier run and not repeated").contains("[backfill 1]");
            assertThat(all.out()).doesNotContain("[expand 1]");

            PlanCommandTest.Run contract = migrate("apply", dir.toString(), "--url", url, "--phase", "contract");
            assertThat(contract.exit()).as(contract.err()).isZero();
            assertThat(contract.out()).contains("done: migrations 2, 3 applied; Flyway's history lists them.");

            Flyway flyway = flyway(db).load();
            flyway.validate();
            assertThat(states(flyway)).containsExactly("1 Success", "2 Success", "3 Success");
            assertThat(rows(db, "SELECT count(*) FROM customers WHERE full_name LIKE 'c%'")).containsExactly("50");

            PlanCommandTest.Run again = migrate("apply", dir.toString(), "--url", url, "--phase", "all");
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("Nothing to apply");

            PlanCommandTest.Run text = migrate("status", "--url", url);
            assertThat(text.exit()).isZero();
            assertThat(text.out()).contains("done");
        }
    }

    @Test
    void aMigrationChangedUnderAReleaseIsRefusedWithExit2AndNothingRuns() throws Exception {
        write("V1__customers.sql", CUSTOMERS);
        write("V2__rename.sql", "ALTER TABLE customers RENAME COLUMN name TO full_name;\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            flyway(db).target("1").load().migrate();
            String url = url(db);
            assertThat(migrate("apply", dir.toString(), "--url", url, "--phase", "expand").exit()).isZero();
            List<String> steps = rows(db, "SELECT status FROM tandem.steps ORDER BY id");

            write("V2__rename.sql", "ALTER TABLE customers RENAME COLUMN name TO display_name;\n");
            PlanCommandTest.Run r = migrate("apply", dir.toString(), "--url", url, "--phase", "backfill");

            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("its migration files changed since it started: V2__rename.sql (migration 2) changed")
                    .contains("Nothing was applied").contains("migrate rollback").doesNotContain("Exception");
            assertThat(rows(db, "SELECT status FROM tandem.steps ORDER BY id")).isEqualTo(steps);

            // the rollback needs no files: it runs what the release recorded
            PlanCommandTest.Run back = migrate("rollback", "--url", url);
            assertThat(back.exit()).as(back.err()).isZero();
            assertThat(back.out()).contains("rolled back: the schema is as it was before it");
            assertThat(rows(db, "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute "
                    + "WHERE attrelid = 'customers'::regclass AND attnum > 0 AND NOT attisdropped")).containsExactly("id,name,region");
        }
    }

    @Test
    void anotherRunnerHoldingTheLockGivesExit3() throws Exception {
        write("V1__customers.sql", CUSTOMERS);
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection holder = db.connection();
                Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + RunLock.KEY + ")");
            PlanCommandTest.Run r = migrate("apply", dir.toString(), "--url", url(db), "--phase", "all");
            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.err()).contains("--wait");
            assertThat(rows(db, "SELECT to_regclass('customers') IS NULL")).containsExactly("t");
        }
    }

    @Test
    void aFailingStepGivesExit1NamingTheMigrationTheSqlAndPostgresError() throws Exception {
        write("V1__customers.sql", CUSTOMERS);
        write("V2__check.sql", "ALTER TABLE customers ADD CONSTRAINT customers_region_us CHECK (region = 'us');\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            flyway(db).target("1").load().migrate();
            PlanCommandTest.Run r = migrate("apply", dir.toString(), "--url", url(db), "--phase", "all");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("migration 2, line 1").contains("VALIDATE CONSTRAINT customers_region_us")
                    .contains("is violated by some row").contains("SQLSTATE 23514").doesNotContain("at dev.tandem");
            PlanCommandTest.Run status = migrate("status", "--url", url(db));
            assertThat(status.out()).contains("failed").contains("23514");
        }
    }

    @Test
    void aReleaseThatCannotBePlannedAsAWholeGivesExit1AndTouchesNothing() throws Exception {
        write("V1__customers.sql", CUSTOMERS);
        write("V2__vacuum.sql", "VACUUM FULL customers;\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            flyway(db).target("1").load().migrate();
            PlanCommandTest.Run r = migrate("apply", dir.toString(), "--url", url(db), "--phase", "all");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("cannot run as a whole").contains("migration 2, line 1").contains("migrate plan");
            assertThat(rows(db, "SELECT to_regclass('tandem.releases') IS NULL")).containsExactly("t");
        }
    }

    @Test
    void theUrlsPasswordIsNeverPrintedAndBadOptionsGiveExit2() throws Exception {
        write("V1__customers.sql", CUSTOMERS);
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            String pw = "s3cret-pw";
            String url = "postgres://" + enc(db.user()) + ":" + pw + "@" + db.jdbcUrl().substring("jdbc:postgresql://".length());
            PlanCommandTest.Run r = migrate("apply", dir.toString(), "--url", url, "--phase", "all");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out() + r.err()).doesNotContain(pw);
            assertThat(r.out()).contains("Release 1 done");

            PlanCommandTest.Run bad = migrate("apply", dir.toString(), "--url", url, "--phase", "all", "--lock-timeout", "2");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("'2' is not a duration").doesNotContain(pw);
            PlanCommandTest.Run phase = migrate("apply", dir.toString(), "--url", url, "--phase", "deploy");
            assertThat(phase.exit()).isEqualTo(2);
            assertThat(phase.err()).contains("not one of expand, backfill, contract, all");
        }
    }

    // ---- helpers

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway(TestDatabase db) {
        return Flyway.configure().locations("filesystem:" + dir).dataSource(db.jdbcUrl(), db.user(), db.password());
    }

    private static List<String> states(Flyway flyway) {
        List<String> out = new ArrayList<>();
        for (MigrationInfo i : flyway.info().all()) out.add(i.getVersion() + " " + i.getState().getDisplayName());
        return out;
    }

    static List<String> rows(TestDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static String url(TestDatabase db) {
        return db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + enc(db.user())
                + (db.password() != null ? "&password=" + enc(db.password()) : "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
