package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.action;
import static dev.tandem.sql.ParserTesting.actions;
import static dev.tandem.sql.ParserTesting.arrayType;
import static dev.tandem.sql.ParserTesting.column;
import static dev.tandem.sql.ParserTesting.expr;
import static dev.tandem.sql.ParserTesting.parse;
import static dev.tandem.sql.ParserTesting.qn;
import static dev.tandem.sql.ParserTesting.subqueryExpr;
import static dev.tandem.sql.ParserTesting.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sql.AlterAction.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlterTableParserTest {

    // ------------------------------------------------------------------ the statement

    @Test
    void tableNameFlags() {
        Change.AlterTable a = parse("ALTER TABLE IF EXISTS ONLY public.\"Users\" ADD COLUMN a int", Change.AlterTable.class);
        assertThat(a.table()).isEqualTo(qn("public", "Users"));
        assertThat(a.ifExists()).isTrue();
        assertThat(a.only()).isTrue();
        Change.AlterTable b = parse("alter table Users* drop column a", Change.AlterTable.class);
        assertThat(b.table()).isEqualTo(qn("users"));
        assertThat(b.ifExists()).isFalse();
        assertThat(b.only()).isFalse();
    }

    @Test
    void pgDumpPrimaryKey() {
        Change.AlterTable a = parse("ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id);", Change.AlterTable.class);
        assertThat(a).isEqualTo(new Change.AlterTable(qn("public", "t"), false, true,
                List.of(new AddConstraint(new Constraint.PrimaryKey("t_pkey", List.of("id"), null)))));
    }

    @Test
    void pgDumpSequenceDefault() {
        assertThat(action("ALTER TABLE ONLY t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass);"))
                .isEqualTo(new SetDefault("id", expr("nextval('t_id_seq'::regclass)", "nextval")));
    }

    // ------------------------------------------------------------------ ADD COLUMN

    @Test
    void addColumnForms() {
        assertThat(action("ALTER TABLE t ADD COLUMN a integer"))
                .isEqualTo(new AddColumn(column("a", type("integer", "integer")), false));
        assertThat(action("ALTER TABLE t ADD a int"))
                .isEqualTo(new AddColumn(column("a", type("integer", "int")), false));
        assertThat(action("ALTER TABLE t ADD COLUMN IF NOT EXISTS a text"))
                .isEqualTo(new AddColumn(column("a", type("text", "text")), true));
        assertThat(action("ALTER TABLE t ADD IF NOT EXISTS \"B\" text"))
                .isEqualTo(new AddColumn(column("B", type("text", "text")), true));
    }

    @Test
    void addColumnTypes() {
        assertThat(colType("character varying(10)")).isEqualTo(type("varchar", "character varying(10)", 10));
        assertThat(colType("double precision")).isEqualTo(type("double precision", "double precision"));
        assertThat(colType("timestamp(3) with time zone")).isEqualTo(type("timestamptz", "timestamp(3) with time zone", 3));
        assertThat(colType("int[]")).isEqualTo(arrayType("integer", "int[]", 1));
        assertThat(colType("numeric(10,2)")).isEqualTo(type("numeric", "numeric(10,2)", 10, 2));
        assertThat(colType("public.order_status")).isEqualTo(type("public.order_status", "public.order_status"));
        assertThat(colType("\"Mood\"")).isEqualTo(type("Mood", "\"Mood\""));
        assertThat(colType("pg_catalog.int8")).isEqualTo(type("bigint", "pg_catalog.int8"));
    }

    private static TypeName colType(String t) {
        AddColumn add = (AddColumn) action("ALTER TABLE t ADD COLUMN c " + t);
        return add.column().type();
    }

    @Test
    void addColumnWithEverything() {
        AddColumn add = (AddColumn) action("""
                ALTER TABLE t ADD COLUMN email varchar(255) COLLATE "C" NOT NULL DEFAULT lower('X')
                  CONSTRAINT email_ck CHECK (email <> '') NO INHERIT
                  CONSTRAINT email_uq UNIQUE NULLS NOT DISTINCT
                  REFERENCES accounts (email) MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED""");
        ColumnDef c = add.column();
        assertThat(c.name()).isEqualTo("email");
        assertThat(c.type()).isEqualTo(type("varchar", "varchar(255)", 255));
        assertThat(c.collation()).isEqualTo("C");
        assertThat(c.notNull()).isTrue();
        assertThat(c.defaultValue()).isEqualTo(expr("lower('X')", "lower"));
        assertThat(c.constraints()).containsExactly(
                new Constraint.Check("email_ck", expr("email <> ''"), false, true),
                new Constraint.Unique("email_uq", List.of("email"), null, true),
                new Constraint.ForeignKey(null, List.of("email"), qn("accounts"), List.of("email"), "set null", false));
        assertThat(c.generated()).isNull();
        assertThat(c.identity()).isNull();
    }

    @Test
    void addColumnDefaultsStopAtConstraints() {
        ColumnDef a = ((AddColumn) action("ALTER TABLE t ADD COLUMN a int DEFAULT 0 NOT NULL")).column();
        assertThat(a.defaultValue()).isEqualTo(expr("0"));
        assertThat(a.notNull()).isTrue();
        ColumnDef b = ((AddColumn) action("ALTER TABLE t ADD COLUMN b text DEFAULT NULL NULL")).column();
        assertThat(b.defaultValue()).isEqualTo(expr("NULL"));
        assertThat(b.notNull()).isFalse();
        ColumnDef c = ((AddColumn) action(
                "ALTER TABLE t ADD COLUMN c text DEFAULT CASE WHEN x IS NOT NULL THEN 'a' ELSE 'b' END NOT NULL")).column();
        assertThat(c.defaultValue().text()).isEqualTo("CASE WHEN x IS NOT NULL THEN 'a' ELSE 'b' END");
        assertThat(c.notNull()).isTrue();
        ColumnDef d = ((AddColumn) action("ALTER TABLE t ADD COLUMN d timestamptz DEFAULT now() - interval '1 day'")).column();
        assertThat(d.defaultValue()).isEqualTo(expr("now() - interval '1 day'", "now"));
        ColumnDef e = ((AddColumn) action("ALTER TABLE t ADD COLUMN e varchar DEFAULT ''::character varying NOT NULL")).column();
        assertThat(e.defaultValue()).isEqualTo(expr("''::character varying"));
        ColumnDef f = ((AddColumn) action("ALTER TABLE t ADD COLUMN f uuid DEFAULT gen_random_uuid() PRIMARY KEY")).column();
        assertThat(f.defaultValue().functions()).containsExactly("gen_random_uuid");
        assertThat(f.constraints()).containsExactly(new Constraint.PrimaryKey(null, List.of("f"), null));
        assertThat(f.impliesNotNull()).isTrue();
        ColumnDef g = ((AddColumn) action("ALTER TABLE t ADD COLUMN g int DEFAULT (SELECT 1)")).column();
        assertThat(g.defaultValue()).isEqualTo(subqueryExpr("(SELECT 1)"));
        ColumnDef h = ((AddColumn) action("ALTER TABLE t ADD COLUMN h timestamp DEFAULT CURRENT_TIMESTAMP")).column();
        assertThat(h.defaultValue()).isEqualTo(expr("CURRENT_TIMESTAMP", "current_timestamp"));
    }

    @Test
    void generatedColumns() {
        ColumnDef stored = ((AddColumn) action("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED")).column();
        assertThat(stored.generated()).isEqualTo(new ColumnDef.Generated(expr("a * 2"), true));
        ColumnDef virtual = ((AddColumn) action("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) VIRTUAL")).column();
        assertThat(virtual.generated()).isEqualTo(new ColumnDef.Generated(expr("a * 2"), false));
        ColumnDef bare = ((AddColumn) action("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (lower(a))")).column();
        assertThat(bare.generated()).isEqualTo(new ColumnDef.Generated(expr("lower(a)", "lower"), false));
    }

    @Test
    void identityColumns() {
        ColumnDef always = ((AddColumn) action("ALTER TABLE t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY")).column();
        assertThat(always.identity()).isEqualTo(new ColumnDef.Identity(true));
        assertThat(always.impliesNotNull()).isTrue();
        ColumnDef byDefault = ((AddColumn) action(
                "ALTER TABLE t ADD COLUMN id int GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY")).column();
        assertThat(byDefault.identity()).isEqualTo(new ColumnDef.Identity(false));
        assertThat(byDefault.constraints()).hasSize(1);
    }

    @Test
    void serialColumns() {
        ColumnDef c = ((AddColumn) action("ALTER TABLE t ADD COLUMN id bigserial")).column();
        assertThat(c.type().name()).isEqualTo("bigserial");
        assertThat(c.isSerial()).isTrue();
    }

    @Test
    void namedInlineConstraints() {
        ColumnDef c = ((AddColumn) action(
                "ALTER TABLE t ADD COLUMN a int CONSTRAINT a_nn NOT NULL CONSTRAINT a_pk PRIMARY KEY USING INDEX TABLESPACE fast")).column();
        assertThat(c.notNull()).isTrue();
        assertThat(c.constraints()).containsExactly(new Constraint.PrimaryKey("a_pk", List.of("a"), null));
        ColumnDef d = ((AddColumn) action("ALTER TABLE t ADD COLUMN a int REFERENCES s.o ON DELETE CASCADE")).column();
        assertThat(d.constraints()).containsExactly(
                new Constraint.ForeignKey(null, List.of("a"), qn("s", "o"), List.of(), "cascade", false));
    }

    // ------------------------------------------------------------------ DROP COLUMN

    @Test
    void dropColumn() {
        assertThat(action("ALTER TABLE t DROP COLUMN a")).isEqualTo(new DropColumn("a", false, false));
        assertThat(action("ALTER TABLE t DROP a CASCADE")).isEqualTo(new DropColumn("a", false, true));
        assertThat(action("ALTER TABLE t DROP COLUMN IF EXISTS \"A\" RESTRICT")).isEqualTo(new DropColumn("A", true, false));
    }

    // ------------------------------------------------------------------ ALTER COLUMN

    @Test
    void alterColumnType() {
        assertThat(action("ALTER TABLE t ALTER COLUMN a TYPE bigint"))
                .isEqualTo(new AlterColumnType("a", type("bigint", "bigint"), null, null));
        assertThat(action("ALTER TABLE t ALTER a SET DATA TYPE varchar(20) COLLATE \"de_DE\" USING a::varchar(20)"))
                .isEqualTo(new AlterColumnType("a", type("varchar", "varchar(20)", 20), "de_DE", expr("a::varchar(20)")));
        assertThat(action("ALTER TABLE t ALTER COLUMN status TYPE mood USING status::text::mood"))
                .isEqualTo(new AlterColumnType("status", type("mood", "mood"), null, expr("status::text::mood")));
        assertThat(action("ALTER TABLE t ALTER COLUMN d TYPE timestamptz USING d AT TIME ZONE 'UTC'"))
                .isEqualTo(new AlterColumnType("d", type("timestamptz", "timestamptz"), null, expr("d AT TIME ZONE 'UTC'")));
    }

    @Test
    void alterColumnNullabilityAndDefaults() {
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET NOT NULL")).isEqualTo(new SetNotNull("a"));
        assertThat(action("ALTER TABLE t ALTER a DROP NOT NULL")).isEqualTo(new DropNotNull("a"));
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x'")).isEqualTo(new SetDefault("a", expr("'x'")));
        assertThat(action("ALTER TABLE t ALTER COLUMN a DROP DEFAULT")).isEqualTo(new DropDefault("a"));
    }

    @Test
    void alterColumnIdentityAndExpression() {
        assertThat(action("ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY"))
                .isEqualTo(new AddIdentity("id", true));
        assertThat(action("ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 10)"))
                .isEqualTo(new AddIdentity("id", false));
        assertThat(action("ALTER TABLE t ALTER COLUMN id SET GENERATED BY DEFAULT"))
                .isEqualTo(new AlterIdentity("id", "SET GENERATED BY DEFAULT"));
        assertThat(action("ALTER TABLE t ALTER COLUMN id RESTART WITH 100"))
                .isEqualTo(new AlterIdentity("id", "RESTART WITH 100"));
        assertThat(action("ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 2 RESTART"))
                .isEqualTo(new AlterIdentity("id", "SET INCREMENT BY 2 RESTART"));
        assertThat(action("ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS"))
                .isEqualTo(new AlterIdentity("id", "drop identity if exists"));
        assertThat(action("ALTER TABLE t ALTER COLUMN g DROP EXPRESSION")).isEqualTo(new DropExpression("g"));
        assertThat(action("ALTER TABLE t ALTER COLUMN g DROP EXPRESSION IF EXISTS")).isEqualTo(new DropExpression("g"));
    }

    @Test
    void alterColumnOptions() {
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET STATISTICS 500"))
                .isEqualTo(new AlterColumnOption("a", "statistics", "500"));
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET STATISTICS -1"))
                .isEqualTo(new AlterColumnOption("a", "statistics", "-1"));
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET STORAGE EXTERNAL"))
                .isEqualTo(new AlterColumnOption("a", "storage", "EXTERNAL"));
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET COMPRESSION lz4"))
                .isEqualTo(new AlterColumnOption("a", "compression", "lz4"));
        assertThat(action("ALTER TABLE t ALTER COLUMN a SET (n_distinct = -1)"))
                .isEqualTo(new AlterColumnOption("a", "options", "SET (n_distinct = -1)"));
        assertThat(action("ALTER TABLE t ALTER COLUMN a RESET (n_distinct)"))
                .isEqualTo(new AlterColumnOption("a", "options", "RESET (n_distinct)"));
    }

    // ------------------------------------------------------------------ constraints

    @Test
    void addTableConstraints() {
        assertThat(action("ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0) NOT VALID"))
                .isEqualTo(new AddConstraint(new Constraint.Check("ck", expr("a > 0"), true, false)));
        assertThat(action("ALTER TABLE t ADD CHECK (length(name) < 10)"))
                .isEqualTo(new AddConstraint(new Constraint.Check(null, expr("length(name) < 10", "length"), false, false)));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a, b) INCLUDE (c) WITH (fillfactor = 90) DEFERRABLE"))
                .isEqualTo(new AddConstraint(new Constraint.Unique("u", List.of("a", "b"), null, false)));
        assertThat(action("ALTER TABLE t ADD UNIQUE NULLS NOT DISTINCT (a)"))
                .isEqualTo(new AddConstraint(new Constraint.Unique(null, List.of("a"), null, true)));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u_idx"))
                .isEqualTo(new AddConstraint(new Constraint.Unique("u", List.of(), "u_idx", false)));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY USING INDEX pk_idx"))
                .isEqualTo(new AddConstraint(new Constraint.PrimaryKey("pk", List.of(), "pk_idx")));
        assertThat(action("ALTER TABLE t ADD PRIMARY KEY (id)"))
                .isEqualTo(new AddConstraint(new Constraint.PrimaryKey(null, List.of("id"), null)));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE CASCADE NOT VALID"))
                .isEqualTo(new AddConstraint(new Constraint.ForeignKey("fk", List.of("a_id"), qn("a"), List.of("id"),
                        "cascade", true)));
        assertThat(action("ALTER TABLE t ADD FOREIGN KEY (a, b) REFERENCES s.o MATCH SIMPLE ON UPDATE RESTRICT DEFERRABLE INITIALLY IMMEDIATE"))
                .isEqualTo(new AddConstraint(new Constraint.ForeignKey(null, List.of("a", "b"), qn("s", "o"), List.of(),
                        null, false)));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o ON DELETE SET NULL (a)"))
                .isEqualTo(new AddConstraint(new Constraint.ForeignKey("fk", List.of("a"), qn("o"), List.of(), "set null",
                        false)));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT ex EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (active)"))
                .isEqualTo(new AddConstraint(new Constraint.Exclusion("ex",
                        "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (active)")));
        assertThat(action("ALTER TABLE t ADD CONSTRAINT a_nn NOT NULL a NOT VALID"))
                .isEqualTo(new AddConstraint(new Constraint.NotNull("a_nn", "a", true)));
        assertThat(action("ALTER TABLE t ADD NOT NULL a"))
                .isEqualTo(new AddConstraint(new Constraint.NotNull(null, "a", false)));
    }

    @Test
    void constraintMaintenance() {
        assertThat(action("ALTER TABLE t VALIDATE CONSTRAINT fk")).isEqualTo(new ValidateConstraint("fk"));
        assertThat(action("ALTER TABLE t DROP CONSTRAINT fk")).isEqualTo(new DropConstraint("fk", false, false));
        assertThat(action("ALTER TABLE t DROP CONSTRAINT IF EXISTS \"Fk\" CASCADE")).isEqualTo(new DropConstraint("Fk", true, true));
        assertThat(action("ALTER TABLE t RENAME CONSTRAINT a TO b")).isEqualTo(new RenameConstraint("a", "b"));
    }

    // ------------------------------------------------------------------ renames and table settings

    @Test
    void renames() {
        assertThat(action("ALTER TABLE t RENAME COLUMN a TO b")).isEqualTo(new RenameColumn("a", "b"));
        assertThat(action("ALTER TABLE t RENAME a TO \"B\"")).isEqualTo(new RenameColumn("a", "B"));
        assertThat(action("ALTER TABLE IF EXISTS t RENAME TO u")).isEqualTo(new RenameTable("u"));
        assertThat(action("ALTER TABLE t SET SCHEMA archive")).isEqualTo(new SetSchema("archive"));
    }

    @Test
    void tableSettings() {
        assertThat(action("ALTER TABLE t SET LOGGED")).isEqualTo(new SetLogged());
        assertThat(action("ALTER TABLE t SET UNLOGGED")).isEqualTo(new SetUnlogged());
        assertThat(action("ALTER TABLE t SET TABLESPACE fast")).isEqualTo(new SetTablespace("fast"));
        assertThat(action("ALTER TABLE t SET ACCESS METHOD heap2")).isEqualTo(new SetAccessMethod("heap2"));
        assertThat(action("ALTER TABLE t SET ACCESS METHOD DEFAULT")).isEqualTo(new SetAccessMethod("default"));
        assertThat(action("ALTER TABLE t SET WITHOUT CLUSTER")).isEqualTo(new SetWithoutCluster());
        assertThat(action("ALTER TABLE t SET WITHOUT OIDS")).isEqualTo(new NoOp("set without oids"));
        assertThat(action("ALTER TABLE t CLUSTER ON t_idx")).isEqualTo(new ClusterOn("t_idx"));
        assertThat(action("ALTER TABLE t OWNER TO app")).isEqualTo(new OwnerTo("app"));
        assertThat(action("ALTER TABLE t OWNER TO CURRENT_USER")).isEqualTo(new OwnerTo("current_user"));
    }

    @Test
    void storageParameters() {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("fillfactor", "70");
        set.put("autovacuum_enabled", "false");
        set.put("toast.autovacuum_enabled", "true");
        set.put("autovacuum_vacuum_scale_factor", "0.01");
        set.put("log_autovacuum_min_duration", "-1");
        set.put("vacuum_index_cleanup", "auto");
        assertThat(action("ALTER TABLE t SET (fillfactor = 70, autovacuum_enabled = false, toast.autovacuum_enabled,"
                + " autovacuum_vacuum_scale_factor = 0.01, log_autovacuum_min_duration = -1, vacuum_index_cleanup = 'auto')"))
                .isEqualTo(new SetStorageParameters(set, false));
        Map<String, String> reset = new LinkedHashMap<>();
        reset.put("fillfactor", null);
        reset.put("toast.autovacuum_enabled", null);
        assertThat(action("ALTER TABLE t RESET (fillfactor, toast.autovacuum_enabled)"))
                .isEqualTo(new SetStorageParameters(reset, true));
    }

    @Test
    void partitions() {
        assertThat(action("ALTER TABLE m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"))
                .isEqualTo(new AttachPartition(qn("m_2024"), "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"));
        assertThat(action("ALTER TABLE m ATTACH PARTITION s.m_def DEFAULT"))
                .isEqualTo(new AttachPartition(qn("s", "m_def"), "DEFAULT"));
        assertThat(action("ALTER TABLE m ATTACH PARTITION h0 FOR VALUES WITH (MODULUS 4, REMAINDER 0)"))
                .isEqualTo(new AttachPartition(qn("h0"), "FOR VALUES WITH (MODULUS 4, REMAINDER 0)"));
        assertThat(action("ALTER TABLE m DETACH PARTITION m_2024")).isEqualTo(new DetachPartition(qn("m_2024"), false, false));
        assertThat(action("ALTER TABLE m DETACH PARTITION m_2024 CONCURRENTLY"))
                .isEqualTo(new DetachPartition(qn("m_2024"), true, false));
        assertThat(action("ALTER TABLE m DETACH PARTITION m_2024 FINALIZE"))
                .isEqualTo(new DetachPartition(qn("m_2024"), false, true));
    }

    @Test
    void triggersRulesAndSecurity() {
        assertThat(action("ALTER TABLE t DISABLE TRIGGER ALL")).isEqualTo(new ToggleTrigger(false, "all"));
        assertThat(action("ALTER TABLE t ENABLE TRIGGER USER")).isEqualTo(new ToggleTrigger(true, "user"));
        assertThat(action("ALTER TABLE t ENABLE REPLICA TRIGGER audit")).isEqualTo(new ToggleTrigger(true, "audit"));
        assertThat(action("ALTER TABLE t ENABLE ALWAYS TRIGGER audit")).isEqualTo(new ToggleTrigger(true, "audit"));
        assertThat(action("ALTER TABLE t DISABLE RULE r")).isEqualTo(new ToggleRule(false, "r"));
        assertThat(action("ALTER TABLE t ENABLE ALWAYS RULE r")).isEqualTo(new ToggleRule(true, "r"));
        assertThat(action("ALTER TABLE t ENABLE ROW LEVEL SECURITY")).isEqualTo(new RowLevelSecurity("enable row level security"));
        assertThat(action("ALTER TABLE t DISABLE ROW LEVEL SECURITY")).isEqualTo(new RowLevelSecurity("disable row level security"));
        assertThat(action("ALTER TABLE t FORCE ROW LEVEL SECURITY")).isEqualTo(new RowLevelSecurity("force row level security"));
        assertThat(action("ALTER TABLE t NO FORCE ROW LEVEL SECURITY")).isEqualTo(new RowLevelSecurity("no force row level security"));
    }

    @Test
    void inheritanceAndReplicaIdentity() {
        assertThat(action("ALTER TABLE t INHERIT p")).isEqualTo(new Inherit(qn("p"), true));
        assertThat(action("ALTER TABLE t NO INHERIT s.p")).isEqualTo(new Inherit(qn("s", "p"), false));
        assertThat(action("ALTER TABLE t REPLICA IDENTITY FULL")).isEqualTo(new ReplicaIdentity("full"));
        assertThat(action("ALTER TABLE t REPLICA IDENTITY DEFAULT")).isEqualTo(new ReplicaIdentity("default"));
        assertThat(action("ALTER TABLE t REPLICA IDENTITY NOTHING")).isEqualTo(new ReplicaIdentity("nothing"));
        assertThat(action("ALTER TABLE t REPLICA IDENTITY USING INDEX t_uq")).isEqualTo(new ReplicaIdentity("using index t_uq"));
    }

    @Test
    void severalActions() {
        assertThat(actions("""
                ALTER TABLE t
                  ADD COLUMN a int DEFAULT 1,
                  ALTER COLUMN b SET DEFAULT now(),
                  DROP COLUMN c,
                  ADD CONSTRAINT ck CHECK (a IN (1, 2)),
                  ALTER COLUMN d TYPE text USING coalesce(d, 'x')""")).containsExactly(
                new AddColumn(new ColumnDef("a", type("integer", "int"), false, expr("1"), null, null, List.of(), null), false),
                new SetDefault("b", expr("now()", "now")),
                new DropColumn("c", false, false),
                new AddConstraint(new Constraint.Check("ck", expr("a IN (1, 2)"), false, false)),
                new AlterColumnType("d", type("text", "text"), null, expr("coalesce(d, 'x')")));
    }

    // ------------------------------------------------------------------ unmodelled and malformed

    @ParameterizedTest
    @ValueSource(strings = {
        "ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b",
        "ALTER TABLE t ALTER CONSTRAINT fk DEFERRABLE",
        "ALTER TABLE t OF some_type",
        "ALTER TABLE t NOT OF",
        "ALTER TABLE t ALTER COLUMN g SET EXPRESSION AS (a + 1)",
        "ALTER TABLE t OPTIONS (ADD x 'y')",
        "ALTER TABLE t ALTER COLUMN a OPTIONS (x 'y')",
        "ALTER TABLE t ADD COLUMN a int SOMETHING_NEW",
    })
    void unmodelledFormsAreOpaque(String sql) {
        assertThat(parse(sql)).isInstanceOf(Change.Opaque.class);
    }

    @Test
    void columnNamedLikeAKeywordIsAColumn() {
        assertThat(action("ALTER TABLE t ADD COLUMN exclude int"))
                .isEqualTo(new AddColumn(column("exclude", type("integer", "int")), false));
        assertThat(action("ALTER TABLE t ADD \"check\" int"))
                .isEqualTo(new AddColumn(column("check", type("integer", "int")), false));
    }
}
