package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.column;
import static dev.tandem.sql.ParserTesting.expr;
import static dev.tandem.sql.ParserTesting.parse;
import static dev.tandem.sql.ParserTesting.qn;
import static dev.tandem.sql.ParserTesting.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CreateTableParserTest {

    private static Change.CreateTable create(String sql) {
        return parse(sql, Change.CreateTable.class);
    }

    @Test
    void plainTable() {
        assertThat(create("CREATE TABLE t (id int, name text)")).isEqualTo(new Change.CreateTable(
                qn("t"), false, false, false,
                List.of(column("id", type("integer", "int")), column("name", type("text", "text"))),
                List.of(), null, null, null, List.of(), List.of(), null, null, null));
    }

    @Test
    void pgDumpTable() {
        Change.CreateTable t = create("""
                CREATE TABLE public.users (
                    id bigint NOT NULL,
                    email character varying(255) DEFAULT ''::character varying NOT NULL,
                    created_at timestamp(6) without time zone NOT NULL,
                    settings jsonb DEFAULT '{}'::jsonb,
                    tags text[]
                );""");
        assertThat(t.name()).isEqualTo(qn("public", "users"));
        assertThat(t.columns()).extracting(ColumnDef::name).containsExactly("id", "email", "created_at", "settings", "tags");
        assertThat(t.columns()).extracting(c -> c.type().display())
                .containsExactly("bigint", "varchar(255)", "timestamp(6)", "jsonb", "text[]");
        assertThat(t.columns()).extracting(ColumnDef::notNull).containsExactly(true, true, true, false, false);
        assertThat(t.columns().get(1).defaultValue()).isEqualTo(expr("''::character varying"));
    }

    @Test
    void flagsAndOptions() {
        Change.CreateTable t = create("CREATE UNLOGGED TABLE IF NOT EXISTS s.\"Log\" (a int) WITH (fillfactor = 50) TABLESPACE fast");
        assertThat(t.name()).isEqualTo(qn("s", "Log"));
        assertThat(t.ifNotExists()).isTrue();
        assertThat(t.unlogged()).isTrue();
        assertThat(t.temporary()).isFalse();
        Change.CreateTable temp = create("CREATE GLOBAL TEMPORARY TABLE tmp (a int) ON COMMIT DELETE ROWS");
        assertThat(temp.temporary()).isTrue();
        assertThat(create("CREATE TEMP TABLE tmp (a int) ON COMMIT DROP").temporary()).isTrue();
        assertThat(create("CREATE TABLE e ()").columns()).isEmpty();
        assertThat(create("CREATE TABLE w (a int) WITHOUT OIDS").columns()).hasSize(1);
        assertThat(create("CREATE TABLE u (a int) USING heap").columns()).hasSize(1);
    }

    @Test
    void columnsAndTableConstraints() {
        Change.CreateTable t = create("""
                CREATE TABLE orders (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
                    total numeric(12,2) NOT NULL CHECK (total >= 0),
                    status order_status DEFAULT 'new',
                    code text COLLATE "C" UNIQUE,
                    total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,
                    CONSTRAINT orders_code_ck CHECK (code ~ '^[A-Z]+$') NO INHERIT,
                    UNIQUE (customer_id, code),
                    CONSTRAINT fk_region FOREIGN KEY (region_id) REFERENCES regions,
                    EXCLUDE USING gist (during WITH &&),
                    LIKE templates INCLUDING DEFAULTS EXCLUDING INDEXES
                ) INHERITS (base, audit.base2)""");
        assertThat(t.columns()).hasSize(6);
        ColumnDef id = t.columns().get(0);
        assertThat(id.identity()).isEqualTo(new ColumnDef.Identity(true));
        assertThat(id.constraints()).containsExactly(new Constraint.PrimaryKey(null, List.of("id"), null));
        assertThat(t.columns().get(1).constraints()).containsExactly(
                new Constraint.ForeignKey(null, List.of("customer_id"), qn("customers"), List.of("id"), "cascade", false));
        assertThat(t.columns().get(2).constraints()).containsExactly(
                new Constraint.Check(null, expr("total >= 0"), false, false));
        assertThat(t.columns().get(3).type()).isEqualTo(type("order_status", "order_status"));
        assertThat(t.columns().get(4).collation()).isEqualTo("C");
        assertThat(t.columns().get(4).constraints()).containsExactly(new Constraint.Unique(null, List.of("code"), null, false));
        assertThat(t.columns().get(5).generated()).isEqualTo(new ColumnDef.Generated(expr("(total * 100)::bigint"), true));
        assertThat(t.constraints()).containsExactly(
                new Constraint.Check("orders_code_ck", expr("code ~ '^[A-Z]+$'"), false, true),
                new Constraint.Unique(null, List.of("customer_id", "code"), null, false),
                new Constraint.ForeignKey("fk_region", List.of("region_id"), qn("regions"), List.of(), null, false),
                new Constraint.Exclusion(null, "EXCLUDE USING gist (during WITH &&)"));
        assertThat(t.like()).containsExactly(qn("templates"));
        assertThat(t.inherits()).containsExactly(qn("base"), qn("audit", "base2"));
    }

    @Test
    void partitionedTables() {
        Change.CreateTable parent = create("CREATE TABLE m (id int, at date) PARTITION BY RANGE (at)");
        assertThat(parent.partitionBy()).isEqualTo("PARTITION BY RANGE (at)");
        Change.CreateTable hash = create("CREATE TABLE h (id int) PARTITION BY HASH (id) WITH (fillfactor=90)");
        assertThat(hash.partitionBy()).isEqualTo("PARTITION BY HASH (id)");

        Change.CreateTable part = create("CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        assertThat(part.partitionOf()).isEqualTo(qn("m"));
        assertThat(part.partitionBound()).isEqualTo("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        assertThat(part.columns()).isEmpty();

        Change.CreateTable def = create("CREATE TABLE IF NOT EXISTS m_def PARTITION OF public.m DEFAULT");
        assertThat(def.partitionBound()).isEqualTo("DEFAULT");
        assertThat(def.partitionOf()).isEqualTo(qn("public", "m"));

        Change.CreateTable sub = create("""
                CREATE TABLE m_2025 PARTITION OF m (CONSTRAINT ck CHECK (id > 0), at WITH OPTIONS NOT NULL)
                FOR VALUES IN (1, 2) PARTITION BY LIST (id) TABLESPACE t""");
        assertThat(sub.partitionBound()).isEqualTo("FOR VALUES IN (1, 2)");
        assertThat(sub.partitionBy()).isEqualTo("PARTITION BY LIST (id)");
        assertThat(sub.constraints()).containsExactly(new Constraint.Check("ck", expr("id > 0"), false, false));
    }

    @Test
    void createTableAs() {
        Change.CreateTable t = create("CREATE TABLE archive AS SELECT * FROM orders WHERE at < now() WITH NO DATA");
        assertThat(t.asQuery()).isEqualTo("SELECT * FROM orders WHERE at < now()");
        assertThat(t.columns()).isEmpty();
        Change.CreateTable u = create("CREATE TEMP TABLE x (a, b) WITH (fillfactor = 70) AS VALUES (1, 2) WITH DATA");
        assertThat(u.asQuery()).isEqualTo("VALUES (1, 2)");
        assertThat(u.temporary()).isTrue();
        Change.CreateTable v = create("CREATE TABLE IF NOT EXISTS y AS TABLE x");
        assertThat(v.asQuery()).isEqualTo("TABLE x");
        assertThat(v.ifNotExists()).isTrue();
    }

    @Test
    void selectIntoCreatesATable() {
        Change.CreateTable t = create("SELECT id, name INTO TEMP TABLE copy_users FROM users WHERE active");
        assertThat(t.name()).isEqualTo(qn("copy_users"));
        assertThat(t.temporary()).isTrue();
        assertThat(t.asQuery()).isEqualTo("SELECT id, name INTO TEMP TABLE copy_users FROM users WHERE active");
    }

    @Test
    void unmodelledAndMalformed() {
        assertThat(parse("CREATE TABLE t OF my_type")).isInstanceOf(Change.Opaque.class);
        assertThat(parse("CREATE TABLE t (a int) SOMETHING")).isInstanceOf(Change.Opaque.class);
        assertThatThrownBy(() -> parse("CREATE TABLE (a int)")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> parse("CREATE TABLE t")).isInstanceOf(SqlSyntaxException.class);
        assertThatThrownBy(() -> parse("CREATE TABLE t (a int")).isInstanceOfSatisfying(SqlSyntaxException.class,
                e -> assertThat(e.column()).isEqualTo(16));
        assertThatThrownBy(() -> parse("CREATE TABLE t AS")).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void dropAndTruncate() {
        assertThat(parse("DROP TABLE a")).isEqualTo(new Change.DropTable(List.of(qn("a")), false, false));
        assertThat(parse("DROP TABLE IF EXISTS a, s.b CASCADE"))
                .isEqualTo(new Change.DropTable(List.of(qn("a"), qn("s", "b")), true, true));
        assertThat(parse("TRUNCATE a")).isEqualTo(new Change.Truncate(List.of(qn("a")), false));
        assertThat(parse("TRUNCATE TABLE ONLY a, b RESTART IDENTITY CASCADE"))
                .isEqualTo(new Change.Truncate(List.of(qn("a"), qn("b")), true));
        assertThat(parse("TRUNCATE a CONTINUE IDENTITY RESTRICT")).isEqualTo(new Change.Truncate(List.of(qn("a")), false));
    }
}
