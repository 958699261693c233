package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.expr;
import static dev.tandem.sql.ParserTesting.parse;
import static dev.tandem.sql.ParserTesting.qn;
import static dev.tandem.sql.ParserTesting.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectDdlParserTest {

    // ------------------------------------------------------------------ indexes

    @Test
    void createIndex() {
        assertThat(parse("CREATE INDEX idx ON t (a)")).isEqualTo(new Change.CreateIndex(
                qn("idx"), qn("t"), false, false, false, false, "btree", List.of("a"), null));
        assertThat(parse("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON ONLY s.t USING gin"
                + " (lower(email) text_pattern_ops DESC NULLS LAST, (a + b), \"C\" COLLATE \"C\", s.f(x, (y)))"
                + " INCLUDE (d) NULLS NOT DISTINCT WITH (fastupdate = off) TABLESPACE fast WHERE deleted_at IS NULL AND (x > 1)"))
                .isEqualTo(new Change.CreateIndex(qn("s", "idx"), qn("s", "t"), true, true, true, true, "gin",
                        List.of("lower(email)", "a + b", "C", "s.f(x, (y))"), "deleted_at IS NULL AND (x > 1)"));
        Change.CreateIndex unnamed = parse("CREATE INDEX ON t USING brin (created_at)", Change.CreateIndex.class);
        assertThat(unnamed.name()).isNull();
        assertThat(unnamed.method()).isEqualTo("brin");
        Change.CreateIndex conc = parse("create index concurrently on t (a)", Change.CreateIndex.class);
        assertThat(conc.concurrently()).isTrue();
        assertThat(conc.name()).isNull();
    }

    @Test
    void malformedCreateIndex() {
        assertThatThrownBy(() -> parse("CREATE INDEX ON (a)")).isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo(17);
        });
        assertThatThrownBy(() -> parse("CREATE INDEX idx ON t")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> parse("CREATE INDEX IF NOT EXISTS ON t (a)")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> parse("CREATE INDEX idx t (a)")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> parse("CREATE UNIQUE idx ON t (a)")).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void dropAndAlterIndex() {
        assertThat(parse("DROP INDEX idx")).isEqualTo(new Change.DropIndex(List.of(qn("idx")), false, false, false));
        assertThat(parse("DROP INDEX CONCURRENTLY IF EXISTS s.a, b CASCADE"))
                .isEqualTo(new Change.DropIndex(List.of(qn("s", "a"), qn("b")), true, true, true));
        assertThat(parse("ALTER INDEX a RENAME TO b")).isEqualTo(new Change.AlterIndex(qn("a"), false, "rename", "b"));
        assertThat(parse("ALTER INDEX IF EXISTS s.a SET TABLESPACE fast"))
                .isEqualTo(new Change.AlterIndex(qn("s", "a"), true, "set tablespace", "fast"));
        assertThat(parse("ALTER INDEX p_idx ATTACH PARTITION s.c_idx"))
                .isEqualTo(new Change.AlterIndex(qn("p_idx"), false, "attach partition", "s.c_idx"));
        assertThat(parse("ALTER INDEX a SET (fillfactor = 80)")).isEqualTo(new Change.AlterIndex(qn("a"), false, "set", null));
        assertThat(parse("ALTER INDEX a RESET (fillfactor)")).isEqualTo(new Change.AlterIndex(qn("a"), false, "reset", null));
        assertThat(parse("ALTER INDEX a ALTER COLUMN 1 SET STATISTICS 100"))
                .isEqualTo(new Change.AlterIndex(qn("a"), false, "alter column", "1"));
        assertThat(parse("ALTER INDEX a DEPENDS ON EXTENSION e"))
                .isEqualTo(new Change.AlterIndex(qn("a"), false, "depends on extension", "e"));
        assertThat(parse("ALTER INDEX ALL IN TABLESPACE a SET TABLESPACE b")).isInstanceOf(Change.Opaque.class);
    }

    @Test
    void reindex() {
        assertThat(parse("REINDEX INDEX idx")).isEqualTo(new Change.Reindex("index", qn("idx"), false));
        assertThat(parse("REINDEX TABLE CONCURRENTLY s.t")).isEqualTo(new Change.Reindex("table", qn("s", "t"), true));
        assertThat(parse("REINDEX (VERBOSE, CONCURRENTLY) INDEX idx")).isEqualTo(new Change.Reindex("index", qn("idx"), true));
        assertThat(parse("REINDEX (CONCURRENTLY false) INDEX idx")).isEqualTo(new Change.Reindex("index", qn("idx"), false));
        assertThat(parse("REINDEX (TABLESPACE fast) TABLE t")).isEqualTo(new Change.Reindex("table", qn("t"), false));
        assertThat(parse("REINDEX SCHEMA app")).isEqualTo(new Change.Reindex("schema", qn("app"), false));
        assertThat(parse("REINDEX DATABASE")).isEqualTo(new Change.Reindex("database", null, false));
        assertThat(parse("REINDEX SYSTEM mydb")).isEqualTo(new Change.Reindex("system", qn("mydb"), false));
        assertThatThrownBy(() -> parse("REINDEX idx")).isInstanceOf(SqlSyntaxException.class);
    }

    // ------------------------------------------------------------------ views

    @Test
    void views() {
        assertThat(parse("CREATE VIEW v AS SELECT a FROM t"))
                .isEqualTo(new Change.CreateView(qn("v"), false, false, true, "SELECT a FROM t"));
        assertThat(parse("CREATE OR REPLACE TEMP RECURSIVE VIEW s.v (n) WITH (security_barrier) AS"
                + " SELECT 1 UNION ALL SELECT n + 1 FROM v WITH LOCAL CHECK OPTION"))
                .isEqualTo(new Change.CreateView(qn("s", "v"), false, true, true, "SELECT 1 UNION ALL SELECT n + 1 FROM v"));
        assertThat(parse("CREATE MATERIALIZED VIEW IF NOT EXISTS mv TABLESPACE x AS SELECT * FROM t WITH NO DATA"))
                .isEqualTo(new Change.CreateView(qn("mv"), true, false, false, "SELECT * FROM t"));
        assertThat(parse("CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WITH DATA"))
                .isEqualTo(new Change.CreateView(qn("mv"), true, false, true, "SELECT * FROM t"));
        assertThat(parse("CREATE VIEW v AS WITH x AS (SELECT 1) SELECT * FROM x"))
                .isEqualTo(new Change.CreateView(qn("v"), false, false, true, "WITH x AS (SELECT 1) SELECT * FROM x"));
        assertThatThrownBy(() -> parse("CREATE VIEW v SELECT 1")).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void dropAlterRefreshViews() {
        assertThat(parse("DROP VIEW IF EXISTS a, b CASCADE"))
                .isEqualTo(new Change.DropView(List.of(qn("a"), qn("b")), false, true, true));
        assertThat(parse("DROP MATERIALIZED VIEW mv")).isEqualTo(new Change.DropView(List.of(qn("mv")), true, false, false));
        assertThat(parse("ALTER VIEW v RENAME TO w")).isEqualTo(new Change.AlterView(qn("v"), false, "rename", "w"));
        assertThat(parse("ALTER VIEW v RENAME COLUMN a TO b")).isEqualTo(new Change.AlterView(qn("v"), false, "rename column", "b"));
        assertThat(parse("ALTER VIEW IF EXISTS v SET SCHEMA s")).isEqualTo(new Change.AlterView(qn("v"), false, "set schema", "s"));
        assertThat(parse("ALTER VIEW v OWNER TO app")).isEqualTo(new Change.AlterView(qn("v"), false, "owner to", "app"));
        assertThat(parse("ALTER VIEW v ALTER COLUMN a SET DEFAULT 1"))
                .isEqualTo(new Change.AlterView(qn("v"), false, "alter column", "a"));
        assertThat(parse("ALTER VIEW v SET (security_invoker = true)")).isEqualTo(new Change.AlterView(qn("v"), false, "set", null));
        assertThat(parse("ALTER MATERIALIZED VIEW mv SET TABLESPACE t"))
                .isEqualTo(new Change.AlterView(qn("mv"), true, "set tablespace", "t"));
        assertThat(parse("ALTER MATERIALIZED VIEW mv CLUSTER ON mv_idx, SET WITHOUT CLUSTER"))
                .isEqualTo(new Change.AlterView(qn("mv"), true, "cluster on", "mv_idx"));
        assertThat(parse("REFRESH MATERIALIZED VIEW mv")).isEqualTo(new Change.RefreshMaterializedView(qn("mv"), false, true));
        assertThat(parse("REFRESH MATERIALIZED VIEW CONCURRENTLY s.mv WITH DATA"))
                .isEqualTo(new Change.RefreshMaterializedView(qn("s", "mv"), true, true));
        assertThat(parse("REFRESH MATERIALIZED VIEW mv WITH NO DATA"))
                .isEqualTo(new Change.RefreshMaterializedView(qn("mv"), false, false));
    }

    // ------------------------------------------------------------------ triggers, routines, rules

    @Test
    void triggers() {
        assertThat(parse("CREATE TRIGGER trg BEFORE INSERT OR UPDATE OF a, b ON s.t FOR EACH ROW WHEN (NEW.a IS NOT NULL)"
                + " EXECUTE FUNCTION f()")).isEqualTo(new Change.CreateTrigger("trg", qn("s", "t"), false, false));
        assertThat(parse("CREATE OR REPLACE CONSTRAINT TRIGGER trg AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED"
                + " FOR EACH ROW EXECUTE PROCEDURE f('x')")).isEqualTo(new Change.CreateTrigger("trg", qn("t"), true, true));
        assertThat(parse("CREATE TRIGGER v_trg INSTEAD OF DELETE ON v FOR EACH ROW EXECUTE FUNCTION f()"))
                .isEqualTo(new Change.CreateTrigger("v_trg", qn("v"), false, false));
        assertThat(parse("DROP TRIGGER trg ON t")).isEqualTo(new Change.DropTrigger("trg", qn("t"), false));
        assertThat(parse("DROP TRIGGER IF EXISTS trg ON s.t CASCADE")).isEqualTo(new Change.DropTrigger("trg", qn("s", "t"), true));
        assertThatThrownBy(() -> parse("DROP TRIGGER trg")).isInstanceOf(SqlSyntaxException.class);
        assertThat(parse("ALTER TRIGGER trg ON t RENAME TO trg2")).isEqualTo(new Change.OtherDdl("alter", "trigger", qn("t")));
    }

    @Test
    void functions() {
        assertThat(parse("""
                CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger
                    LANGUAGE plpgsql
                    AS $$
                BEGIN
                  NEW.updated_at := now();
                  RETURN NEW;
                END;
                $$;""")).isEqualTo(new Change.CreateFunction(qn("public", "touch"), false, true, "plpgsql",
                "\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n"));
        assertThat(parse("CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer AS 'select a + b;' LANGUAGE SQL IMMUTABLE"))
                .isEqualTo(new Change.CreateFunction(qn("add"), false, false, "sql", "select a + b;"));
        assertThat(parse("CREATE FUNCTION f() RETURNS int LANGUAGE 'plpgsql' SECURITY DEFINER SET search_path = public AS $f$ BEGIN RETURN 1; END $f$"))
                .isEqualTo(new Change.CreateFunction(qn("f"), false, false, "plpgsql", " BEGIN RETURN 1; END "));
        assertThat(parse("CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b"))
                .isEqualTo(new Change.CreateFunction(qn("add"), false, false, "sql", "RETURN a + b"));
        assertThat(parse("CREATE PROCEDURE ins(x int) BEGIN ATOMIC INSERT INTO t VALUES (x); INSERT INTO t VALUES (x + 1); END"))
                .isEqualTo(new Change.CreateFunction(qn("ins"), true, false, "sql",
                        "BEGIN ATOMIC INSERT INTO t VALUES (x); INSERT INTO t VALUES (x + 1); END"));
        assertThat(parse("CREATE FUNCTION c_fn(int) RETURNS int AS 'mylib', 'c_fn' LANGUAGE C STRICT"))
                .isEqualTo(new Change.CreateFunction(qn("c_fn"), false, false, "c", "mylib"));
        assertThat(parse("CREATE FUNCTION t() RETURNS TABLE (a int, b text) AS $$ SELECT 1, 'x' $$ LANGUAGE sql"))
                .isEqualTo(new Change.CreateFunction(qn("t"), false, false, "sql", " SELECT 1, 'x' "));
        assertThatThrownBy(() -> parse("CREATE FUNCTION f RETURNS int AS $$ $$")).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void dropRoutinesAndRules() {
        assertThat(parse("DROP FUNCTION IF EXISTS f(int, text), s.g CASCADE"))
                .isEqualTo(new Change.DropFunction(List.of(qn("f"), qn("s", "g")), true));
        assertThat(parse("DROP PROCEDURE p")).isEqualTo(new Change.DropFunction(List.of(qn("p")), false));
        assertThat(parse("DROP AGGREGATE my_sum(int)")).isEqualTo(new Change.DropFunction(List.of(qn("my_sum")), false));
        assertThat(parse("DROP ROUTINE r()")).isEqualTo(new Change.DropFunction(List.of(qn("r")), false));
        assertThat(parse("CREATE OR REPLACE RULE r AS ON INSERT TO s.t DO INSTEAD NOTHING"))
                .isEqualTo(new Change.CreateRule("r", qn("s", "t")));
        assertThat(parse("CREATE RULE r AS ON UPDATE TO t WHERE old.a <> new.a DO ALSO (INSERT INTO log VALUES (1); NOTIFY t)"))
                .isEqualTo(new Change.CreateRule("r", qn("t")));
        assertThat(parse("DROP RULE IF EXISTS r ON t")).isEqualTo(new Change.OtherDdl("drop", "rule", qn("t")));
        assertThat(parse("ALTER FUNCTION f(int) OWNER TO app")).isEqualTo(new Change.OtherDdl("alter", "function", null));
    }

    // ------------------------------------------------------------------ types and domains

    @Test
    void createTypes() {
        assertThat(parse("CREATE TYPE mood AS ENUM ('sad', 'ok', 'it''s')"))
                .isEqualTo(new Change.CreateType(qn("mood"), "enum", List.of("sad", "ok", "it's")));
        assertThat(parse("CREATE TYPE s.empty AS ENUM ()")).isEqualTo(new Change.CreateType(qn("s", "empty"), "enum", List.of()));
        assertThat(parse("CREATE TYPE pair AS (a int, b text COLLATE \"C\")"))
                .isEqualTo(new Change.CreateType(qn("pair"), "composite", List.of()));
        assertThat(parse("CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi)"))
                .isEqualTo(new Change.CreateType(qn("floatrange"), "range", List.of()));
        assertThat(parse("CREATE TYPE box2 (INPUT = box2_in, OUTPUT = box2_out)"))
                .isEqualTo(new Change.CreateType(qn("box2"), "base", List.of()));
        assertThat(parse("CREATE TYPE shell")).isEqualTo(new Change.CreateType(qn("shell"), "shell", List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "ALTER TYPE mood ADD VALUE 'happy'                             | add value        | happy | null         | false",
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy' BEFORE 'ok'   | add value        | happy | before 'ok'  | true",
        "ALTER TYPE s.mood ADD VALUE 'x' AFTER 'it''s'                 | add value        | x     | after 'it''s'| false",
        "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'                  | rename value     | blue  | sad          | false",
        "ALTER TYPE mood RENAME TO feeling                             | rename           | feeling | null       | false",
        "ALTER TYPE mood OWNER TO app                                  | owner            | app   | null         | false",
        "ALTER TYPE mood SET SCHEMA other                              | set schema       | other | null         | false",
        "ALTER TYPE pair ADD ATTRIBUTE c int                           | add attribute    | c     | null         | false",
        "ALTER TYPE pair DROP ATTRIBUTE IF EXISTS c CASCADE            | drop attribute   | c     | null         | false",
        "ALTER TYPE pair ALTER ATTRIBUTE a SET DATA TYPE bigint        | alter attribute  | a     | null         | false",
        "ALTER TYPE pair RENAME ATTRIBUTE a TO z                       | rename attribute | z     | null         | false",
        "ALTER TYPE base SET (STORAGE = plain)                         | set              | null  | null         | false",
    })
    void alterTypes(String sql, String action, String value, String position, boolean ifNotExists) {
        Change.AlterType t = parse(sql, Change.AlterType.class);
        assertThat(t.action()).isEqualTo(action);
        assertThat(t.value()).isEqualTo(value);
        assertThat(t.position()).isEqualTo(position);
        assertThat(t.ifNotExists()).isEqualTo(ifNotExists);
    }

    @Test
    void dropTypes() {
        assertThat(parse("DROP TYPE IF EXISTS a, s.b CASCADE")).isEqualTo(new Change.DropType(List.of(qn("a"), qn("s", "b")), true, true));
        assertThat(parse("DROP DOMAIN d")).isEqualTo(new Change.DropType(List.of(qn("d")), false, false));
    }

    @Test
    void domains() {
        assertThat(parse("CREATE DOMAIN email AS citext CHECK (VALUE ~ '@') NOT NULL"))
                .isEqualTo(new Change.CreateDomain(qn("email"), type("citext", "citext"), true, List.of(expr("VALUE ~ '@'"))));
        assertThat(parse("CREATE DOMAIN s.pos int DEFAULT 1 CONSTRAINT pos_ck CHECK (VALUE > 0) CHECK (VALUE < 100) NULL"))
                .isEqualTo(new Change.CreateDomain(qn("s", "pos"), type("integer", "int"), false,
                        List.of(expr("VALUE > 0"), expr("VALUE < 100"))));
        assertThat(parse("ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID"))
                .isEqualTo(new Change.AlterDomain(qn("d"), "add constraint", true));
        assertThat(parse("ALTER DOMAIN d ADD CHECK (VALUE > 0)")).isEqualTo(new Change.AlterDomain(qn("d"), "add constraint", false));
        assertThat(parse("ALTER DOMAIN d VALIDATE CONSTRAINT c")).isEqualTo(new Change.AlterDomain(qn("d"), "validate constraint", false));
        assertThat(parse("ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c CASCADE")).isEqualTo(new Change.AlterDomain(qn("d"), "drop constraint", false));
        assertThat(parse("ALTER DOMAIN d SET NOT NULL")).isEqualTo(new Change.AlterDomain(qn("d"), "set not null", false));
        assertThat(parse("ALTER DOMAIN d DROP NOT NULL")).isEqualTo(new Change.AlterDomain(qn("d"), "drop not null", false));
        assertThat(parse("ALTER DOMAIN d SET DEFAULT 5")).isEqualTo(new Change.AlterDomain(qn("d"), "set default", false));
        assertThat(parse("ALTER DOMAIN d DROP DEFAULT")).isEqualTo(new Change.AlterDomain(qn("d"), "drop default", false));
        assertThat(parse("ALTER DOMAIN d RENAME CONSTRAINT a TO b")).isEqualTo(new Change.AlterDomain(qn("d"), "rename constraint", false));
        assertThat(parse("ALTER DOMAIN d RENAME TO e")).isEqualTo(new Change.AlterDomain(qn("d"), "rename", false));
        assertThat(parse("ALTER DOMAIN d OWNER TO app")).isEqualTo(new Change.AlterDomain(qn("d"), "owner", false));
        assertThat(parse("ALTER DOMAIN d SET SCHEMA s")).isEqualTo(new Change.AlterDomain(qn("d"), "set schema", false));
    }

    // ------------------------------------------------------------------ sequences, schemas, extensions, databases

    @Test
    void sequences() {
        assertThat(parse("CREATE SEQUENCE public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1"))
                .isEqualTo(new Change.SequenceChange("create", List.of(qn("public", "t_id_seq"))));
        assertThat(parse("CREATE UNLOGGED SEQUENCE IF NOT EXISTS s AS bigint"))
                .isEqualTo(new Change.SequenceChange("create", List.of(qn("s"))));
        assertThat(parse("CREATE TEMP SEQUENCE s")).isEqualTo(new Change.SequenceChange("create", List.of(qn("s"))));
        assertThat(parse("ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id"))
                .isEqualTo(new Change.SequenceChange("alter", List.of(qn("public", "t_id_seq"))));
        assertThat(parse("ALTER SEQUENCE IF EXISTS s RESTART WITH 100"))
                .isEqualTo(new Change.SequenceChange("alter", List.of(qn("s"))));
        assertThat(parse("DROP SEQUENCE IF EXISTS a, b CASCADE"))
                .isEqualTo(new Change.SequenceChange("drop", List.of(qn("a"), qn("b"))));
    }

    @Test
    void schemas() {
        assertThat(parse("CREATE SCHEMA app")).isEqualTo(new Change.CreateSchema("app", false));
        assertThat(parse("CREATE SCHEMA IF NOT EXISTS \"App\" AUTHORIZATION owner")).isEqualTo(new Change.CreateSchema("App", true));
        assertThat(parse("CREATE SCHEMA AUTHORIZATION joe")).isEqualTo(new Change.CreateSchema("joe", false));
        assertThat(parse("CREATE SCHEMA s CREATE TABLE t (a int)")).isInstanceOf(Change.Opaque.class);
        assertThat(parse("DROP SCHEMA IF EXISTS a, b CASCADE")).isEqualTo(new Change.DropSchema(List.of("a", "b"), true, true));
        assertThat(parse("ALTER SCHEMA a RENAME TO b")).isEqualTo(new Change.AlterSchema("a", "rename", "b"));
        assertThat(parse("ALTER SCHEMA a OWNER TO r")).isEqualTo(new Change.AlterSchema("a", "owner", null));
    }

    @Test
    void extensionsAndDatabases() {
        assertThat(parse("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public"))
                .isEqualTo(new Change.ExtensionChange("create", "uuid-ossp"));
        assertThat(parse("CREATE EXTENSION pgcrypto")).isEqualTo(new Change.ExtensionChange("create", "pgcrypto"));
        assertThat(parse("ALTER EXTENSION postgis UPDATE TO '3.4.0'")).isEqualTo(new Change.ExtensionChange("alter", "postgis"));
        assertThat(parse("DROP EXTENSION IF EXISTS hstore CASCADE")).isEqualTo(new Change.ExtensionChange("drop", "hstore"));
        assertThat(parse("CREATE DATABASE app WITH OWNER = app ENCODING = 'UTF8'")).isEqualTo(new Change.DatabaseChange("create", "app"));
        assertThat(parse("ALTER DATABASE app SET timezone TO 'UTC'")).isEqualTo(new Change.DatabaseChange("alter", "app"));
        assertThat(parse("DROP DATABASE IF EXISTS app WITH (FORCE)")).isEqualTo(new Change.DatabaseChange("drop", "app"));
    }

    // ------------------------------------------------------------------ other DDL

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "CREATE POLICY p ON s.t FOR SELECT USING (owner = current_user)  | create | policy | s.t",
        "ALTER POLICY p ON t RENAME TO q                                 | alter  | policy | t",
        "DROP POLICY IF EXISTS p ON t                                    | drop   | policy | t",
        "CREATE STATISTICS IF NOT EXISTS st (dependencies) ON a, b FROM s.t | create | statistics | s.t",
        "ALTER STATISTICS st SET STATISTICS 100                          | alter  | statistics | null",
        "DROP STATISTICS st                                              | drop   | statistics | null",
        "CREATE COLLATION german (provider = icu, locale = 'de')        | create | collation | null",
        "CREATE TEXT SEARCH CONFIGURATION my (COPY = english)            | create | text search configuration | null",
        "ALTER TEXT SEARCH DICTIONARY d (StopWords = 'x')               | alter  | text search dictionary | null",
        "CREATE PUBLICATION pub FOR TABLE t                              | create | publication | null",
        "ALTER SUBSCRIPTION sub DISABLE                                  | alter  | subscription | null",
        "CREATE CAST (int AS text) WITH INOUT                            | create | cast | null",
        "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = f) | create | operator | null",
        "CREATE OPERATOR CLASS c FOR TYPE int USING btree AS OPERATOR 1 < | create | operator class | null",
        "CREATE AGGREGATE my_sum (int) (SFUNC = int4pl, STYPE = int)    | create | aggregate | null",
        "CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw               | create | server | null",
        "CREATE FOREIGN DATA WRAPPER w                                   | create | foreign data wrapper | null",
        "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'x')         | create | user mapping | null",
        "DROP USER MAPPING IF EXISTS FOR app SERVER s                    | drop   | user mapping | null",
        "CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f() | create | event trigger | null",
        "CREATE TRANSFORM FOR hstore LANGUAGE plpython3u (FROM SQL WITH FUNCTION f(internal), TO SQL WITH FUNCTION g(internal)) | create | transform | null",
        "CREATE TRUSTED PROCEDURAL LANGUAGE plx HANDLER h                | create | language | null",
        "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler | create | access method | null",
        "CREATE DEFAULT CONVERSION c FOR 'LATIN1' TO 'UTF8' FROM f        | create | conversion | null",
        "CREATE TABLESPACE fast LOCATION '/ssd'                           | create | tablespace | null",
        "DROP TABLESPACE fast                                             | drop   | tablespace | null",
        "CREATE FOREIGN TABLE ft (a int) SERVER s                         | create | foreign table | ft",
        "ALTER FOREIGN TABLE IF EXISTS s.ft ADD COLUMN b int              | alter  | foreign table | s.ft",
    })
    void otherDdl(String sql, String verb, String kind, String table) {
        Change.OtherDdl d = parse(sql, Change.OtherDdl.class);
        assertThat(d.verb()).isEqualTo(verb);
        assertThat(d.objectKind()).isEqualTo(kind);
        assertThat(d.table() == null ? null : d.table().toString()).isEqualTo(table);
    }
}
