package dev.tandem.plan;

import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RemovalRecipe} on a real PostgreSQL: what goes is removed only after the gate; DROP COLUMN
 * first makes the column one the new app version can leave out.
 */
class RemovalLifecycleTest {

    private static final String USERS = """
            CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, legacy_code text NOT NULL, note text);
            INSERT INTO users SELECT i, 'u' || i || '@x', 'L' || i, NULL FROM generate_series(1, 10) i;
            """;

    private static final String OLD_USERS_APP =
            "INSERT INTO users (id, email, legacy_code) SELECT max(id) + 1, 'old@x', 'L-old' FROM users";
    private static final String NEW_USERS_APP = "INSERT INTO users (id, email) SELECT max(id) + 1, 'new@x' FROM users";

    @Test
    void dropColumnWithABackfillValueGivesTheColumnADefaultUntilContract() throws SQLException {
        List<String> relfilenode = new ArrayList<>();
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("""
                        -- migrate:backfill 'n/a'
                        ALTER TABLE users DROP COLUMN legacy_code;
                        """)
                .oldApp(OLD_USERS_APP)
                .newApp(NEW_USERS_APP)
                .duringWindow(c -> {
                    relfilenode.addAll(rows(c, "SELECT relfilenode::text FROM pg_class WHERE oid = 'users'::regclass"));
                    try (Statement st = c.createStatement()) {
                        st.execute(OLD_USERS_APP.replace("old@x", "window-old@x"));
                        st.execute(NEW_USERS_APP.replace("new@x", "window-new@x"));
                    }
                    assertThat(rows(c, "SELECT legacy_code FROM users WHERE email LIKE 'window-%' ORDER BY id"))
                            .containsExactly("L-old", "n/a");
                })
                .check(c -> {
                    assertThat(rows(c, "SELECT email FROM users WHERE email LIKE 'window-%' ORDER BY id"))
                            .containsExactly("window-old@x", "window-new@x");
                    // catalog only: the table is not rewritten
                    assertThat(rows(c, "SELECT relfilenode::text FROM pg_class WHERE oid = 'users'::regclass")).isEqualTo(relfilenode);
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly("ALTER TABLE users ALTER COLUMN legacy_code SET DEFAULT 'n/a'");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).rollback())
                .isEqualTo("ALTER TABLE users ALTER COLUMN legacy_code DROP DEFAULT");
        SqlStep drop = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly("ALTER TABLE users DROP COLUMN legacy_code");
        assertThat(drop.destructive()).isTrue();
        assertThat(drop.irreversible()).isEqualTo("the column's data is deleted");
        assertThat(r.afterExpand().columns()).contains("public.users #3 legacy_code text NOT NULL DEFAULT 'n/a'::text");
    }

    @Test
    void dropColumnWithoutABackfillValueDropsItsNotNullIrreversibly() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("ALTER TABLE users DROP COLUMN legacy_code;")
                .oldApp(OLD_USERS_APP)
                .newApp(NEW_USERS_APP)
                .withoutRollback()
                .duringWindow(c -> assertThat(rows(c, "SELECT count(*)::text FROM users WHERE legacy_code IS NULL"))
                        .containsExactly("1"))
                .run();

        SqlStep expand = Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0);
        assertThat(expand.sql()).isEqualTo("ALTER TABLE users ALTER COLUMN legacy_code DROP NOT NULL");
        assertThat(expand.rollback()).isNull();
        assertThat(expand.irreversible()).contains("may write rows without legacy_code");
        assertThat(expand.purpose()).contains("-- migrate:backfill");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly("ALTER TABLE users DROP COLUMN legacy_code");
    }

    @Test
    void aNullableColumnNeedsNothingBeforeTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("ALTER TABLE users DROP COLUMN IF EXISTS note CASCADE;")
                .oldApp("UPDATE users SET note = 'old' WHERE id = 1")
                .newApp("INSERT INTO users (id, email, legacy_code) SELECT max(id) + 1, 'new@x', 'L' FROM users")
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly("ALTER TABLE users DROP COLUMN IF EXISTS note CASCADE");
        assertThat(Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0).destructive()).isTrue();
    }

    @Test
    void dropTableRunsAfterTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS + """
                        CREATE TABLE audit_log (id bigserial PRIMARY KEY, user_id bigint REFERENCES users, msg text);
                        INSERT INTO audit_log (user_id, msg) VALUES (1, 'a');
                        """)
                .migration("DROP TABLE audit_log;")
                .oldApp("INSERT INTO audit_log (user_id, msg) VALUES (2, 'old app')")
                .newApp(NEW_USERS_APP.replace("email", "email, legacy_code").replace("'new@x'", "'new@x', 'L'"))
                .duringWindow(c -> assertThat(rows(c, "SELECT count(*)::text FROM audit_log")).containsExactly("2"))
                .check(c -> assertThat(rows(c, "SELECT to_regclass('audit_log')::text")).containsOnlyNulls())
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        SqlStep drop = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(drop.sql()).isEqualTo("DROP TABLE audit_log");
        assertThat(drop.destructive()).isTrue();
        assertThat(drop.irreversible()).isEqualTo("the table and its rows are deleted");
        // the foreign key's triggers on users go too
        assertThat(drop.locks()).extracting(l -> l.table()).containsExactlyInAnyOrder("public.audit_log", "public.users");
    }

    @Test
    void truncateCascadeRunsAfterTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS + """
                        CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
                        INSERT INTO sessions SELECT i, i FROM generate_series(1, 5) i;
                        """)
                .migration("TRUNCATE users CASCADE;")
                .oldApp("INSERT INTO sessions SELECT max(id) + 1, 1 FROM sessions")
                .check(c -> assertThat(rows(c, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions)"))
                        .containsExactly("0"))
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        SqlStep truncate = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(truncate.sql()).isEqualTo("TRUNCATE users CASCADE");
        assertThat(truncate.destructive()).isTrue();
        assertThat(truncate.purpose()).contains("every table referencing it");
    }

    @Test
    void truncateRunsAfterTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given("CREATE TABLE cache (k text PRIMARY KEY, v text); INSERT INTO cache VALUES ('a', 'b');")
                .migration("TRUNCATE TABLE cache;")
                .oldApp("INSERT INTO cache VALUES ('old', 'app')")
                .duringWindow(c -> assertThat(rows(c, "SELECT count(*)::text FROM cache")).containsExactly("2"))
                .check(c -> assertThat(rows(c, "SELECT count(*)::text FROM cache")).containsExactly("0"))
                .run();

        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly("TRUNCATE TABLE cache");
        assertThat(Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0).destructive()).isTrue();
    }

    @Test
    void dropViewDropTypeAndDropSchemaRunAfterTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS + """
                        CREATE VIEW active_users AS SELECT id, email FROM users;
                        CREATE TYPE tier AS ENUM ('free', 'pro');
                        CREATE SCHEMA reporting;
                        CREATE TABLE reporting.daily (day date PRIMARY KEY, n int);
                        """)
                .migration("""
                        DROP VIEW active_users;
                        DROP TYPE tier;
                        DROP SCHEMA reporting CASCADE;
                        """)
                .oldApp("SELECT * FROM active_users", "SELECT 'pro'::tier", "INSERT INTO reporting.daily VALUES (current_date, 1)")
                .check(c -> assertThat(rows(c, "SELECT to_regclass('active_users')::text")).containsOnlyNulls())
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT))
                .containsExactly("DROP VIEW active_users", "DROP TYPE tier", "DROP SCHEMA reporting CASCADE");
        assertThat(Plans.sqlSteps(r.plan(), Phase.CONTRACT)).extracting(SqlStep::destructive).containsExactly(false, false, true);
        assertThat(Plans.sqlSteps(r.plan(), Phase.CONTRACT)).allSatisfy(s -> assertThat(s.irreversible()).isNotNull());
    }

    @Test
    void dropDefaultOfANotNullColumnWaitsForTheGateAndCanBeUndone() throws SQLException {
        String given = USERS + "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';\n";
        Lifecycle.Result r = Lifecycle.given(given)
                .migration("ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;")
                // the old app version does not know the column
                .oldApp(OLD_USERS_APP)
                .newApp("INSERT INTO users (id, email, legacy_code, plan) SELECT max(id) + 1, 'new@x', 'L', 'pro' FROM users")
                .run();

        SqlStep drop = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(drop.sql()).isEqualTo("ALTER TABLE users ALTER COLUMN plan DROP DEFAULT");
        assertThat(drop.rollback()).isEqualTo("ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free'::text");
        assertThat(drop.destructive()).isFalse();
        assertContractUndone(given, "ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;");
    }

    @Test
    void dropUniqueConstraintWaitsForTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS + "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n")
                .migration("ALTER TABLE users DROP CONSTRAINT users_email_key;")
                .oldApp("INSERT INTO users VALUES (100, 'u1@x', 'L') ON CONFLICT (email) DO UPDATE SET note = 'seen'")
                .newApp(NEW_USERS_APP.replace("email", "email, legacy_code").replace("'new@x'", "'new@x', 'L'"))
                .run();

        SqlStep drop = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(drop.sql()).isEqualTo("ALTER TABLE users DROP CONSTRAINT users_email_key");
        assertThat(drop.irreversible()).contains("adding it back builds its index under lock");
        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
    }

    /** Runs the contract of {@code migration}, rolls it back, and compares the catalog with before. */
    private static void assertContractUndone(String given, String migration) throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, given);
            ReleasePlan plan = Plans.live(c, migration);
            CatalogSnapshot before = CatalogSnapshot.of(c);
            runner.runAll(plan.steps(Phase.CONTRACT));
            assertThat(CatalogSnapshot.of(c)).isNotEqualTo(before);
            runner.rollbackAll();
            assertThat(CatalogSnapshot.of(c)).isEqualTo(before);
        }
    }

    @Test
    void theNewAppCannotInsertWithoutTheColumnBeforeExpand() throws SQLException {
        // what the expand step is for: proven against the schema as it is before the release
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection(); Statement st = c.createStatement()) {
            Lifecycle.script(c, USERS);
            assertThatThrownBy(() -> st.execute(NEW_USERS_APP)).hasMessageContaining("legacy_code");
        }
    }
}
