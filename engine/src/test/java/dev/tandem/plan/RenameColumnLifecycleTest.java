package dev.tandem.plan;

import static dev.tandem.testing.Sql.rows;
import static dev.tandem.testing.Sql.count;
import static dev.tandem.testing.Sql.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RenameColumnRecipe} on a real PostgreSQL: both names work while both app versions run,
 * every row written through either name has its value under the new name after contract, and the
 * schema is the one the rename as written gives — except for the column's position: the recipe
 * adds the new name as a new column, last in the table (hence {@code ignoreColumnOrder()}).
 */
class RenameColumnLifecycleTest {

    private static final String USERS = """
            CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'anon', email text,
                                CONSTRAINT users_name_short CHECK (length(name) < 50));
            CREATE INDEX users_name_idx ON users (lower(name) text_pattern_ops DESC) INCLUDE (email) WHERE email IS NOT NULL;
            CREATE INDEX users_email_idx ON users (email);
            INSERT INTO users SELECT i, 'user' || i, 'u' || i || '@example.com' FROM generate_series(1, 20) i;
            """;

    @Test
    void bothNamesWorkThroughTheWindowAndEveryRowEndsUpUnderTheNewName() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(USERS)
                .migration("ALTER TABLE users RENAME COLUMN name TO full_name;")
                .oldApp("INSERT INTO users (id, name, email) SELECT max(id) + 1, 'old insert', 'o@example.com' FROM users",
                        "UPDATE users SET name = 'old update' WHERE id = 2",
                        "SELECT name FROM users WHERE lower(name) LIKE 'user%'")
                .newApp("INSERT INTO users (id, full_name, email) SELECT max(id) + 1, 'new insert', 'n@example.com' FROM users",
                        "INSERT INTO users (id, email) SELECT max(id) + 1, 'default@example.com' FROM users",
                        "UPDATE users SET full_name = 'new update' WHERE id = 3",
                        "SELECT full_name FROM users WHERE lower(full_name) LIKE 'user%'")
                .duringWindow(c -> {
                    execute(c, "INSERT INTO users (id, name, email) VALUES (301, 'old in window', NULL)");
                    execute(c, "INSERT INTO users (id, full_name, email) VALUES (302, 'new in window', NULL)");
                    execute(c, "UPDATE users SET name = 'old window update' WHERE id = 4");
                    execute(c, "UPDATE users SET full_name = 'new window update' WHERE id = 5");
                    // both names of a row written through either are equal at once, thanks to the trigger
                    assertThat(rows(c, "SELECT id || ' ' || name || ' ' || full_name FROM users WHERE id IN (4, 5, 301, 302)"
                            + " ORDER BY id")).containsExactly("4 old window update old window update",
                            "5 new window update new window update", "301 old in window old in window",
                            "302 new in window new in window");
                    // a NOT NULL old column is filled by the BEFORE trigger when only the new name is written
                    assertThat(count(c, "SELECT count(*) FROM users WHERE name IS NULL")).isZero();
                })
                .check(c -> {
                    // 21-23: written by the old and the new app version right after the first expand
                    assertThat(rows(c, "SELECT id || ' ' || full_name FROM users WHERE id IN (1, 2, 3, 4, 5, 21, 22, 23, 301, 302)"
                            + " ORDER BY id")).containsExactly("1 user1", "2 old update", "3 new update", "4 old window update",
                            "5 new window update", "21 old insert", "22 new insert", "23 anon", "301 old in window",
                            "302 new in window");
                    assertThat(count(c, "SELECT count(*) FROM users WHERE full_name IS NULL")).isZero();
                    assertThat(count(c, "SELECT count(*) FROM users")).isEqualTo(25);
                    assertThatFails(c, "INSERT INTO users (id, full_name) VALUES (999, NULL)", "null value");
                    assertThatFails(c, "INSERT INTO users (id, full_name) VALUES (999, repeat('x', 60))", "users_name_short");
                })
                .ignoreColumnOrder()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "DO $tandem$BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                        + " WHERE a.attrelid = to_regclass('users') AND a.attname = 'name' AND a.attcollation <> t.typcollation) THEN"
                        + " RAISE EXCEPTION 'column name has a collation of its own, which the plan does not copy: rename it in a"
                        + " maintenance window'; END IF; END$tandem$;\n"
                        + "ALTER TABLE users ADD COLUMN full_name text",
                "CREATE FUNCTION users_name_rename_tandem() RETURNS trigger LANGUAGE plpgsql AS $tandem$BEGIN IF TG_OP = 'INSERT'"
                        + " THEN IF NEW.full_name IS NOT NULL THEN NEW.name := NEW.full_name; ELSE NEW.full_name := NEW.name; END IF;"
                        + " ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN NEW.name := NEW.full_name;"
                        + " ELSIF NEW.name IS DISTINCT FROM OLD.name THEN NEW.full_name := NEW.name; END IF; RETURN NEW; END$tandem$",
                "CREATE TRIGGER users_name_rename_tandem BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION"
                        + " users_name_rename_tandem()");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly(
                "BACKFILL full_name = name",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx_tandem ON users USING btree (lower(full_name)"
                        + " text_pattern_ops DESC) INCLUDE (email) WHERE (email IS NOT NULL)");
        assertThat(((BackfillStep) r.plan().steps(Phase.BACKFILL).get(0)).where()).isEqualTo("full_name IS DISTINCT FROM name");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly(
                "ALTER TABLE users ADD CONSTRAINT users_full_name_not_null_tandem CHECK (full_name IS NOT NULL) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_full_name_not_null_tandem",
                "ALTER TABLE users ALTER COLUMN full_name SET NOT NULL",
                "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_full_name_not_null_tandem",
                "DROP TRIGGER IF EXISTS users_name_rename_tandem ON users;\n"
                        + "DROP FUNCTION IF EXISTS users_name_rename_tandem();\n"
                        + "ALTER TABLE users ALTER COLUMN full_name SET DEFAULT 'anon'::text;\n"
                        + "ALTER TABLE users DROP COLUMN name;\n"
                        + "ALTER INDEX users_name_idx_tandem RENAME TO users_name_idx;\n"
                        + "ALTER TABLE users ADD CONSTRAINT users_name_short CHECK (length(full_name) < 50) NOT VALID",
                "ALTER TABLE users VALIDATE CONSTRAINT users_name_short");
        assertThat(r.after().indexes()).contains(
                "CREATE INDEX users_name_idx ON public.users USING btree (lower(full_name) text_pattern_ops DESC) INCLUDE (email)"
                        + " WHERE (email IS NOT NULL)");
    }

    @Test
    void aColumnWithACollationOfItsOwnStopsTheFirstStep() throws SQLException {
        try (var db = dev.tandem.testing.PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, "CREATE TABLE tags (id int PRIMARY KEY, label text COLLATE \"C\");");
            ReleasePlan plan = Plans.live(c, "ALTER TABLE tags RENAME COLUMN label TO name;");
            assertThat(plan.unplanned()).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.runAll(plan.steps(Phase.EXPAND)))
                    .hasMessageContaining("column label has a collation of its own");
            assertThat(count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'tags'::regclass AND attname = 'name'")).isZero();
        }
    }

    static void assertThatFails(Connection c, String sql, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> execute(c, sql)).hasMessageContaining(message);
    }



}
