package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sql.QualifiedName;
import org.junit.jupiter.api.Test;

/**
 * Offline shapes of {@link RemovalRecipe}, {@link RenameTableRecipe} and the batched DELETE of
 * {@link BackfillRecipe}: exact SQL, phases, destructive flags and refusals (proven on the server by
 * {@link RemovalLifecycleTest}, {@link RenameTableLifecycleTest} and {@link DeleteBackfillLifecycleTest}).
 */
class RemovalRecipeTest {
    static final String GIVEN = """
            CREATE TYPE mood AS ENUM ('a', 'b');
            CREATE SCHEMA app;
            CREATE TABLE app."Orders" (id int PRIMARY KEY);
            CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, note text, plan text NOT NULL DEFAULT 'free',
                                    m mood, code text NOT NULL, seq int GENERATED ALWAYS AS IDENTITY);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), note text NOT NULL);
            CREATE TABLE logs (id bigint PRIMARY KEY, msg text);
            CREATE TABLE heap (msg text);
            CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b));
            CREATE VIEW v AS SELECT id FROM logs;
            CREATE TYPE unused AS ENUM ('x');
            """;

    private static ReleasePlan plan(String... scripts) {
        return Plans.offline(GIVEN, scripts);
    }

    private static Unplanned unplanned(String script) {
        return Plans.onlyUnplanned(plan(script));
    }

    @Test
    void renameTableKeepsTheOldNameAsAViewUntilContract() {
        ReleasePlan p = plan("ALTER TABLE app.\"Orders\" RENAME TO purchases;");
        assertThat(p.unplanned()).isEmpty();
        SqlStep expand = Plans.sqlSteps(p, Phase.EXPAND).get(0);
        assertThat(expand.sql()).isEqualTo("ALTER TABLE app.\"Orders\" RENAME TO purchases;\n"
                + "CREATE VIEW app.\"Orders\" WITH (security_invoker = true) AS SELECT * FROM app.purchases;\n"
                + "DO $tandem$DECLARE g record; BEGIN FOR g IN SELECT a.privilege_type AS p, a.is_grantable AS o,"
                + " CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS who, NULL::name AS col"
                + " FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a"
                + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee WHERE c.oid = to_regclass('app.purchases')"
                + " UNION ALL SELECT a.privilege_type, a.is_grantable, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE"
                + " quote_ident(r.rolname) END, t.attname FROM pg_catalog.pg_attribute t CROSS JOIN LATERAL"
                + " pg_catalog.aclexplode(t.attacl) a LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee"
                + " WHERE t.attrelid = to_regclass('app.purchases') AND t.attnum > 0 AND NOT t.attisdropped"
                + " LOOP EXECUTE 'GRANT ' || g.p || coalesce(' (' || quote_ident(g.col) || ')', '') || ' ON ' || 'app.\"Orders\"'"
                + " || ' TO ' || g.who || CASE WHEN g.o THEN ' WITH GRANT OPTION' ELSE '' END; END LOOP; END$tandem$");
        assertThat(expand.transactional()).isTrue();
        assertThat(expand.reversible()).isTrue();
        assertThat(expand.rollback()).isEqualTo("DROP VIEW app.\"Orders\";\nALTER TABLE app.purchases RENAME TO \"Orders\"");
        // a DO body must not contain the separator of a multi-statement step
        assertThat(expand.sql().split(";\n")).hasSize(3);
        SqlStep contract = Plans.sqlSteps(p, Phase.CONTRACT).get(0);
        assertThat(contract.sql()).isEqualTo("DROP VIEW app.\"Orders\"");
        assertThat(contract.locks()).isEmpty();
        assertThat(p.reversibleBeforeContract()).isTrue();
    }

    @Test
    void beforePostgres15TheViewHasNoSecurityInvokerAndRefusesRowLevelSecurity() {
        ReleasePlan p = Plans.offline(new dev.tandem.classify.PgVersion(14), GIVEN, "ALTER TABLE logs RENAME TO events;");
        assertThat(Plans.sql(p, Phase.EXPAND).get(0)).contains("CREATE VIEW logs AS SELECT * FROM events;\n")
                .contains("IF (SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = to_regclass('events')) THEN RAISE");
    }

    @Test
    void renameTableRefusals() {
        Unplanned ifExists = unplanned("ALTER TABLE IF EXISTS nowhere RENAME TO somewhere;");
        assertThat(ifExists.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(ifExists.message()).contains("IF EXISTS");
        assertThat(ifExists.instead()).contains("--url");
        // the view needs no fact about the table: an unknown one (offline) is planned
        assertThat(plan("ALTER TABLE elsewhere RENAME TO other;").unplanned()).isEmpty();
        assertThat(RenameTableRecipe.copyPrivileges(QualifiedName.of("a"), QualifiedName.of("b"), false)).doesNotContain(";\n");
    }

    @Test
    void renameTableOfAViewIsRefused() {
        Unplanned u = unplanned("ALTER TABLE v RENAME TO w;");
        assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
        assertThat(u.message()).contains("public.v is a view, not a table");
    }

    @Test
    void aLaterStatementReusingARemovedNameIsNotRunBeforeTheRemoval() {
        // the compatibility view holds the old name until contract; a dropped view's name is free only after it
        for (String[] scripts : new String[][] {
                {"ALTER TABLE logs RENAME TO events;", "CREATE VIEW logs AS SELECT * FROM events;"},
                {"ALTER TABLE logs SET SCHEMA app;", "CREATE INDEX logs_msg ON app.logs (msg);\nALTER TABLE app.logs ADD CONSTRAINT"
                        + " logs_msg_key UNIQUE (msg);"},
                {"DROP VIEW v;", "CREATE OR REPLACE VIEW v AS SELECT 1 AS id;"}}) {
            ReleasePlan p = plan(scripts);
            assertThat(p.unplanned()).as(scripts[1]).extracting(Unplanned::reason).contains(Unplanned.Reason.ORDER);
        }
    }

    @Test
    void dropColumnShapes() {
        ReleasePlan annotated = plan("-- migrate:backfill 'x'\nALTER TABLE customers DROP COLUMN code;");
        assertThat(Plans.sql(annotated, Phase.EXPAND)).containsExactly("ALTER TABLE customers ALTER COLUMN code SET DEFAULT 'x'");
        assertThat(Plans.sqlSteps(annotated, Phase.EXPAND).get(0).rollback())
                .isEqualTo("ALTER TABLE customers ALTER COLUMN code DROP DEFAULT");
        assertThat(Plans.sql(annotated, Phase.CONTRACT)).containsExactly("ALTER TABLE customers DROP COLUMN code");
        assertThat(annotated.reversibleBeforeContract()).isTrue();

        ReleasePlan bare = plan("ALTER TABLE customers DROP COLUMN code;");
        assertThat(Plans.sql(bare, Phase.EXPAND)).containsExactly("ALTER TABLE customers ALTER COLUMN code DROP NOT NULL");
        assertThat(bare.reversibleBeforeContract()).isFalse();

        // a default, identity or generation fills the column; nullable needs nothing
        for (String column : new String[] {"plan", "seq", "note"}) {
            ReleasePlan p = plan("ALTER TABLE customers DROP COLUMN " + column + ";");
            assertThat(p.steps(Phase.EXPAND)).as(column).isEmpty();
            assertThat(Plans.sqlSteps(p, Phase.CONTRACT)).as(column).singleElement().satisfies(s -> {
                assertThat(s.destructive()).isTrue();
                assertThat(s.irreversible()).isEqualTo("the column's data is deleted");
            });
        }
        // a foreign key on the column: its drop locks the referenced table too
        assertThat(Plans.sqlSteps(plan("ALTER TABLE orders DROP COLUMN customer_id;"), Phase.CONTRACT).get(0).locks())
                .extracting(l -> l.table()).contains("public.orders", "public.customers");
        // IF EXISTS of a column the schema does not have: nothing to prepare
        assertThat(Plans.sql(plan("ALTER TABLE customers DROP COLUMN IF EXISTS gone;"), Phase.CONTRACT))
                .containsExactly("ALTER TABLE customers DROP COLUMN IF EXISTS gone");
    }

    @Test
    void dropColumnRefusals() {
        Unplanned unknownTable = unplanned("ALTER TABLE elsewhere DROP COLUMN c;");
        assertThat(unknownTable.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(unknownTable.instead()).contains("--url");
        Unplanned unknownColumn = unplanned("ALTER TABLE customers DROP COLUMN gone;");
        assertThat(unknownColumn.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        Unplanned primaryKey = unplanned("ALTER TABLE pairs DROP COLUMN b;");
        assertThat(primaryKey.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(primaryKey.instead()).contains("-- migrate:backfill");
        assertThat(Plans.sql(plan("-- migrate:backfill 0\nALTER TABLE pairs DROP COLUMN b;"), Phase.EXPAND))
                .containsExactly("ALTER TABLE pairs ALTER COLUMN b SET DEFAULT 0");
    }

    @Test
    void contractOnlyRemovals() {
        ReleasePlan p = plan("""
                DROP TABLE logs CASCADE;
                TRUNCATE orders;
                TRUNCATE customers CASCADE;
                DROP VIEW v;
                ALTER TABLE customers ALTER COLUMN plan DROP DEFAULT;
                ALTER TABLE customers DROP CONSTRAINT customers_email_key;
                DROP TYPE unused;
                DROP TYPE mood CASCADE;
                DROP SCHEMA app;
                DROP SCHEMA app CASCADE;
                """);
        assertThat(p.unplanned()).isEmpty();
        assertThat(p.steps(Phase.EXPAND)).isEmpty();
        assertThat(p.steps(Phase.BACKFILL)).isEmpty();
        assertThat(Plans.sqlSteps(p, Phase.CONTRACT)).extracting(SqlStep::sql, SqlStep::destructive, SqlStep::rollback).containsExactly(
                org.assertj.core.groups.Tuple.tuple("DROP TABLE logs CASCADE", true, null),
                org.assertj.core.groups.Tuple.tuple("TRUNCATE orders", true, null),
                org.assertj.core.groups.Tuple.tuple("TRUNCATE customers CASCADE", true, null),
                org.assertj.core.groups.Tuple.tuple("DROP VIEW v", false, null),
                org.assertj.core.groups.Tuple.tuple("ALTER TABLE customers ALTER COLUMN plan DROP DEFAULT", false,
                        "ALTER TABLE customers ALTER COLUMN plan SET DEFAULT 'free'"),
                org.assertj.core.groups.Tuple.tuple("ALTER TABLE customers DROP CONSTRAINT customers_email_key", false, null),
                org.assertj.core.groups.Tuple.tuple("DROP TYPE unused", false, null),
                org.assertj.core.groups.Tuple.tuple("DROP TYPE mood CASCADE", true, null),
                org.assertj.core.groups.Tuple.tuple("DROP SCHEMA app", false, null),
                org.assertj.core.groups.Tuple.tuple("DROP SCHEMA app CASCADE", true, null));
        // every step but the one with rollback SQL says why it cannot be undone
        assertThat(Plans.sqlSteps(p, Phase.CONTRACT)).allSatisfy(s -> assertThat(s.hasRollback() || s.irreversible() != null).isTrue());
        assertThat(Plans.sqlSteps(p, Phase.CONTRACT)).allSatisfy(s -> assertThat(s.transactional()).isTrue());
    }

    @Test
    void wholeTableDeleteIsABatchedBackfill() {
        ReleasePlan p = plan("DELETE FROM pairs;");
        assertThat(p.steps(Phase.BACKFILL)).singleElement().isInstanceOfSatisfying(BackfillStep.class, b -> {
            assertThat(b.operation()).isEqualTo(BackfillStep.Operation.DELETE);
            assertThat(b.key()).containsExactly("a", "b");
            assertThat(b.set()).isNull();
            assertThat(b.where()).isNull();
            assertThat(b.irreversible()).isEqualTo("the deleted rows are not kept");
        });
    }

    @Test
    void deleteRefusals() {
        for (String sql : new String[] {"DELETE FROM ONLY logs;", "DELETE FROM logs AS l;", "DELETE FROM logs l;",
                "DELETE FROM logs RETURNING id;", "WITH x AS (SELECT 1) DELETE FROM logs;"}) {
            ReleasePlan p = plan(sql);
            assertThat(p.unplanned()).as(sql).singleElement().satisfies(u -> {
                assertThat(u.reason()).isEqualTo(Unplanned.Reason.RECIPE_NOT_YET_AVAILABLE);
                assertThat(u.message()).contains("ONLY, an alias, USING, RETURNING or a WITH clause");
            });
        }
        Unplanned noKey = unplanned("DELETE FROM heap;");
        assertThat(noKey.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
        assertThat(noKey.message()).contains("primary key");
        assertThat(unplanned("DELETE FROM elsewhere;").message()).contains("not in the schema the plan was made from");
    }
}
