package dev.tandem.plan;

import static dev.tandem.plan.RenameColumnLifecycleTest.assertThatFails;
import static dev.tandem.testing.Sql.count;
import static dev.tandem.testing.Sql.execute;
import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * {@link TypeChangeRecipe} on a real PostgreSQL. The copy forms put the column last in the table,
 * where the ALTER as written keeps its place: the final schemas are compared without column
 * positions ({@code ignoreColumnOrder()}). The UTC form keeps the position and is compared exactly.
 */
class TypeChangeLifecycleTest {

    private static final String ITEMS = """
            CREATE TABLE items (id bigint PRIMARY KEY, qty int NOT NULL DEFAULT 0, code varchar(100),
                                CONSTRAINT items_qty_positive CHECK (qty >= 0));
            CREATE INDEX items_qty_idx ON items (qty) WHERE qty > 0;
            CREATE UNIQUE INDEX items_code_key ON items (code);
            INSERT INTO items SELECT i, i * 10, 'code-' || i FROM generate_series(1, 20) i;
            CREATE TABLE baseline AS SELECT relfilenode FROM pg_class WHERE oid = 'items'::regclass;
            """;

    @Test
    void intToBigintGoesThroughACopyKeptByATriggerAndSwappedAfterTheGate() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ITEMS)
                .migration("ALTER TABLE items ALTER COLUMN qty TYPE bigint;")
                .oldApp("INSERT INTO items (id, qty) SELECT max(id) + 1, 7 FROM items",
                        "UPDATE items SET qty = qty + 1 WHERE id = 2",
                        "SELECT qty FROM items WHERE qty > 5")
                .newApp("INSERT INTO items (id) SELECT max(id) + 1 FROM items", "SELECT qty FROM items WHERE id = 3")
                .duringWindow(TypeChangeLifecycleTest::noRewrite)
                .duringWindow(c -> {
                    execute(c, "INSERT INTO items (id, qty) VALUES (301, 42)");
                    execute(c, "UPDATE items SET qty = 99 WHERE id = 4");
                    assertThat(rows(c, "SELECT id || ' ' || qty || ' ' || qty_tandem_new FROM items WHERE id IN (4, 301)"
                            + " ORDER BY id")).containsExactly("4 99 99", "301 42 42");
                    assertThatFails(c, "INSERT INTO items (id, qty) VALUES (302, -1)", "items_qty_positive");
                })
                .check(c -> {
                    assertThat(rows(c, "SELECT id || ' ' || qty FROM items WHERE id IN (1, 2, 4, 21, 22, 301) ORDER BY id"))
                            .containsExactly("1 10", "2 21", "4 99", "21 7", "22 0", "301 42");
                    assertThat(rows(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass"
                            + " AND attname = 'qty'")).containsExactly("bigint");
                    execute(c, "INSERT INTO items (id, qty) VALUES (401, 3000000000)");
                    assertThatFails(c, "INSERT INTO items (id, qty) VALUES (402, -5)", "items_qty_positive");
                })
                .ignoreColumnOrder()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "ALTER TABLE items ADD COLUMN qty_tandem_new bigint",
                "CREATE FUNCTION items_qty_type_tandem() RETURNS trigger LANGUAGE plpgsql AS $tandem$BEGIN"
                        + " NEW.qty_tandem_new := NEW.qty; RETURN NEW; END$tandem$",
                "CREATE TRIGGER items_qty_type_tandem BEFORE INSERT OR UPDATE ON items FOR EACH ROW EXECUTE FUNCTION"
                        + " items_qty_type_tandem()");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly(
                "BACKFILL qty_tandem_new = qty",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_qty_idx_tandem ON items USING btree (qty_tandem_new)"
                        + " WHERE (qty_tandem_new > 0)");
        assertThat(((BackfillStep) r.plan().steps(Phase.BACKFILL).get(0)).where())
                .isEqualTo("qty_tandem_new IS DISTINCT FROM CAST((qty) AS bigint)");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly(
                "ALTER TABLE items ADD CONSTRAINT items_qty_tandem_new_not_null_tandem CHECK (qty_tandem_new IS NOT NULL) NOT VALID",
                "ALTER TABLE items VALIDATE CONSTRAINT items_qty_tandem_new_not_null_tandem",
                "ALTER TABLE items ALTER COLUMN qty_tandem_new SET NOT NULL",
                "ALTER TABLE items DROP CONSTRAINT IF EXISTS items_qty_tandem_new_not_null_tandem",
                "DROP TRIGGER IF EXISTS items_qty_type_tandem ON items;\n"
                        + "DROP FUNCTION IF EXISTS items_qty_type_tandem();\n"
                        + "ALTER TABLE items DROP COLUMN qty;\n"
                        + "ALTER TABLE items RENAME COLUMN qty_tandem_new TO qty;\n"
                        + "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 0;\n"
                        + "ALTER INDEX items_qty_idx_tandem RENAME TO items_qty_idx;\n"
                        + "ALTER TABLE items ADD CONSTRAINT items_qty_positive CHECK (qty >= 0) NOT VALID",
                "ALTER TABLE items VALIDATE CONSTRAINT items_qty_positive");
        assertThat(r.after().columns()).contains("public.items #3 qty bigint NOT NULL DEFAULT 0");
    }

    @Test
    void narrowingWithUsingConvertsEveryRowAndRejectsWhatDoesNotFitFromExpandOn() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ITEMS)
                .migration("ALTER TABLE items ALTER COLUMN code TYPE varchar(20) USING upper(code);")
                .oldApp("INSERT INTO items (id, code) SELECT max(id) + 1, 'old-' || max(id) FROM items",
                        "UPDATE items SET code = 'changed' WHERE id = 2")
                .newApp("SELECT code FROM items WHERE code = 'CODE-3'")
                .duringWindow(TypeChangeLifecycleTest::noRewrite)
                .duringWindow(c -> {
                    execute(c, "INSERT INTO items (id, code) VALUES (301, 'window')");
                    // a value the new type rejects fails from expand on, as it would after the ALTER as written
                    assertThatFails(c, "INSERT INTO items (id, code) VALUES (302, repeat('x', 30))",
                            "value too long for type character varying(20)");
                })
                .check(c -> {
                    assertThat(rows(c, "SELECT id || ' ' || code FROM items WHERE id IN (1, 2, 21, 301) ORDER BY id"))
                            .containsExactly("1 CODE-1", "2 CHANGED", "21 OLD-20", "301 WINDOW");
                    assertThatFails(c, "INSERT INTO items (id, code) VALUES (401, 'CODE-1')", "items_code_key");
                })
                .ignoreColumnOrder()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "ALTER TABLE items ADD COLUMN code_tandem_new varchar(20)",
                "CREATE FUNCTION items_code_type_tandem() RETURNS trigger LANGUAGE plpgsql AS $tandem$BEGIN"
                        + " NEW.code_tandem_new := upper(NEW.code); RETURN NEW; END$tandem$",
                "CREATE TRIGGER items_code_type_tandem BEFORE INSERT OR UPDATE ON items FOR EACH ROW EXECUTE FUNCTION"
                        + " items_code_type_tandem()");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly(
                "BACKFILL code_tandem_new = upper(code)",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_code_key_tandem ON items USING btree (code_tandem_new)");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly(
                "DROP TRIGGER IF EXISTS items_code_type_tandem ON items;\n"
                        + "DROP FUNCTION IF EXISTS items_code_type_tandem();\n"
                        + "ALTER TABLE items DROP COLUMN code;\n"
                        + "ALTER TABLE items RENAME COLUMN code_tandem_new TO code;\n"
                        + "ALTER INDEX items_code_key_tandem RENAME TO items_code_key");
    }

    private static final String EVENTS = """
            CREATE TABLE events (id bigint PRIMARY KEY, at timestamp NOT NULL DEFAULT '2024-01-01 00:00');
            INSERT INTO events SELECT i, timestamp '2024-06-01 12:00' + i * interval '1 hour' FROM generate_series(1, 20) i;
            CREATE TABLE baseline AS SELECT relfilenode FROM pg_class WHERE oid = 'events'::regclass;
            """;

    @Test
    void timestampToTimestamptzInUtcChangesOnlyTheCatalog() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(EVENTS)
                .migration("ALTER TABLE events ALTER COLUMN at TYPE timestamptz;")
                .oldApp("INSERT INTO events (id, at) SELECT max(id) + 1, now() FROM events", "SELECT at FROM events WHERE id = 1")
                .newApp("INSERT INTO events (id, at) SELECT max(id) + 1, now() FROM events")
                .duringWindow(c -> assertThat(count(c, "SELECT count(*) FROM pg_class WHERE oid = 'events'::regclass"
                        + " AND relfilenode = (SELECT relfilenode FROM baseline)")).as("events not rewritten").isEqualTo(1))
                .check(c -> {
                    assertThat(count(c, "SELECT count(*) FROM pg_class WHERE oid = 'events'::regclass"
                            + " AND relfilenode = (SELECT relfilenode FROM baseline)")).as("events not rewritten").isEqualTo(1);
                    // the stored values were read as UTC
                    execute(c, "SET TimeZone = 'UTC'");
                    assertThat(rows(c, "SELECT at::text FROM events WHERE id = 1")).containsExactly("2024-06-01 13:00:00+00");
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly(
                "SET LOCAL TimeZone = 'UTC';\nALTER TABLE events ALTER COLUMN at TYPE timestamptz");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).rollback()).isEqualTo(
                "SET LOCAL TimeZone = 'UTC';\nALTER TABLE events ALTER COLUMN at TYPE timestamp without time zone");
        assertThat(r.plan().steps(Phase.BACKFILL)).isEmpty();
        assertThat(r.plan().steps(Phase.CONTRACT)).isEmpty();
    }

    @Test
    void timestampToTimestamptzWithAnIndexGoesThroughACopyReadAsUtc() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(EVENTS + "CREATE INDEX events_at_idx ON events (at);")
                .migration("ALTER TABLE events ALTER COLUMN at TYPE timestamptz;")
                .oldApp("INSERT INTO events (id, at) SELECT max(id) + 1, timestamp '2024-07-01 08:00' FROM events")
                .newApp("SELECT at FROM events WHERE id = 1")
                .check(c -> {
                    execute(c, "SET TimeZone = 'UTC'");
                    assertThat(rows(c, "SELECT at::text FROM events WHERE id IN (1, 21) ORDER BY id"))
                            .containsExactly("2024-06-01 13:00:00+00", "2024-07-01 08:00:00+00");
                })
                .ignoreColumnOrder()
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).contains(
                "CREATE FUNCTION events_at_type_tandem() RETURNS trigger LANGUAGE plpgsql SET TimeZone FROM CURRENT AS"
                        + " $tandem$BEGIN NEW.at_tandem_new := NEW.at AT TIME ZONE 'UTC'; RETURN NEW; END$tandem$");
        assertThat(Plans.sql(r.plan(), Phase.BACKFILL)).containsExactly(
                "BACKFILL at_tandem_new = at AT TIME ZONE 'UTC'",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_at_idx_tandem ON events USING btree (at_tandem_new)");
    }

    private static void noRewrite(Connection c) throws SQLException {
        assertThat(count(c, "SELECT count(*) FROM pg_class WHERE oid = 'items'::regclass"
                + " AND relfilenode = (SELECT relfilenode FROM baseline)")).as("items not rewritten").isEqualTo(1);
    }
}
