package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.RawStatement;
import dev.tandem.sql.SqlParser;
import dev.tandem.sql.SqlSplitter;
import dev.tandem.sql.TypeName;
import dev.tandem.testing.PostgresExtension;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class SchemaReplayerTest {

    private static final SqlParser PARSER = new SqlParser();

    static SchemaModel replay(String script) {
        SchemaModel schema = SchemaModel.offline();
        replay(script, schema);
        return schema;
    }

    static void replay(String script, SchemaModel schema) {
        SchemaReplayer replayer = new SchemaReplayer();
        for (RawStatement s : SqlSplitter.split(script)) {
            replayer.apply(PARSER.parse(s.sql()), schema);
        }
    }

    private static TableInfo table(SchemaModel s, String name) {
        return s.table(QualifiedName.of(name)).orElseThrow(() -> new AssertionError("no table " + name));
    }

    private static List<String> indexNames(SchemaModel s, String table) {
        return s.indexesOn(QualifiedName.of(table)).stream().map(i -> i.name().name()).sorted().toList();
    }

    @Test
    void createTableTurnsSerialIntoIntegerWithSequenceDefault() {
        SchemaModel s = replay("CREATE TABLE t (id serial, big bigserial, small smallserial, g bigint GENERATED ALWAYS AS IDENTITY, "
                + "c integer GENERATED ALWAYS AS (id * 2) STORED, n text NOT NULL, d text DEFAULT 'x')");
        TableInfo t = table(s, "t");
        assertThat(t.kind()).isEqualTo(RelationKind.TABLE);
        assertThat(t.column("id").orElseThrow().type().display()).isEqualTo("integer");
        assertThat(t.column("id").orElseThrow().notNull()).isTrue();
        assertThat(t.column("id").orElseThrow().defaultValue().text()).isEqualTo("nextval('t_id_seq'::regclass)");
        assertThat(t.column("id").orElseThrow().defaultValue().functions()).containsExactly("nextval");
        assertThat(t.column("big").orElseThrow().type().display()).isEqualTo("bigint");
        assertThat(t.column("small").orElseThrow().type().display()).isEqualTo("smallint");
        assertThat(t.column("g").orElseThrow().identity()).isTrue();
        assertThat(t.column("g").orElseThrow().notNull()).isTrue();
        assertThat(t.column("c").orElseThrow().generated()).isTrue();
        assertThat(t.column("n").orElseThrow().notNull()).isTrue();
        assertThat(t.column("d").orElseThrow().notNull()).isFalse();
        assertThat(t.column("d").orElseThrow().defaultValue().text()).isEqualTo("'x'");
        assertThat(t.columns()).extracting(ColumnInfo::name).containsExactly("id", "big", "small", "g", "c", "n", "d");
    }

    @Test
    void createTableNamesConstraintsAndIndexesAsPostgresDoes() {
        SchemaModel s = replay("""
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE t (a int CHECK (a > 0), b int, c text UNIQUE, d int REFERENCES p, e int,
                  CHECK (a > b), CHECK (lower(c) <> 'x'), UNIQUE (a, b), FOREIGN KEY (e) REFERENCES p (id) NOT VALID,
                  h int CHECK (h > 0) CHECK (h < 10));
                """);
        TableInfo t = table(s, "t");
        Map<String, String> constraints = t.constraints().stream()
                .collect(Collectors.toMap(ConstraintInfo::name, c -> c.kind() + "/" + c.validated(), (x, y) -> x, TreeMap::new));
        // PostgreSQL 15 names for the same statement (pg_constraint): t_a_b_key, t_a_check, t_c_check, t_c_key,
        // t_check, t_d_fkey, t_e_fkey, t_h_check, t_h_check1; NOT VALID is ignored in CREATE TABLE.
        assertThat(constraints).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "t_a_check", "CHECK/true", "t_c_key", "UNIQUE/true", "t_d_fkey", "FOREIGN_KEY/true",
                "t_h_check", "CHECK/true", "t_h_check1", "CHECK/true", "t_check", "CHECK/true",
                "t_c_check", "CHECK/true", "t_a_b_key", "UNIQUE/true", "t_e_fkey", "FOREIGN_KEY/true")));
        assertThat(t.constraint("t_d_fkey").orElseThrow().refTable()).isEqualTo(QualifiedName.of("public", "p"));
        assertThat(indexNames(s, "t")).containsExactly("t_a_b_key", "t_c_key");
        assertThat(s.index(QualifiedName.of("public", "p_pkey")).orElseThrow().primary()).isTrue();
        assertThat(table(s, "p").column("id").orElseThrow().notNull()).isTrue();
        assertThat(s.referencing(QualifiedName.of("p"))).extracting(TableInfo::name).containsExactly(QualifiedName.of("public", "t"));
    }

    @Test
    void createIndexGeneratesNamesAndDeduplicates() {
        SchemaModel s = replay("""
                CREATE TABLE t (a int, b int, c text);
                CREATE INDEX ON t (a);
                CREATE INDEX ON t (lower(c));
                CREATE INDEX ON t (a, b);
                CREATE INDEX ON t ((a + b));
                CREATE INDEX ON t (a);
                CREATE UNIQUE INDEX ON t (b);
                CREATE INDEX named ON t (c) WHERE c IS NOT NULL;
                """);
        // PostgreSQL 15: t_a_idx, t_lower_idx, t_a_b_idx, t_expr_idx, t_a_idx1, t_b_idx (a unique index is _idx too).
        assertThat(indexNames(s, "t")).containsExactly("named", "t_a_b_idx", "t_a_idx", "t_a_idx1", "t_b_idx", "t_expr_idx", "t_lower_idx");
        assertThat(s.index(QualifiedName.of("public", "t_b_idx")).orElseThrow().unique()).isTrue();
        assertThat(s.index(QualifiedName.of("public", "named")).orElseThrow().where()).isNotNull();
    }

    @Test
    void longGeneratedNamesAreTruncatedLikeMakeObjectName() {
        assertThat(SchemaReplayer.objectName("a".repeat(40), "b".repeat(40), "idx"))
                .hasSize(63).isEqualTo("a".repeat(29) + "_" + "b".repeat(29) + "_idx");
        assertThat(SchemaReplayer.objectName("t", "c", "key")).isEqualTo("t_c_key");
        assertThat(SchemaReplayer.objectName("t", null, "pkey")).isEqualTo("t_pkey");
    }

    @Test
    void alterTableColumnActions() {
        SchemaModel s = replay("""
                CREATE TABLE t (a int, b text, c varchar(10));
                CREATE INDEX t_b_idx ON t (b);
                ALTER TABLE t ADD COLUMN d int NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS a bigint;
                ALTER TABLE t ALTER COLUMN c TYPE varchar(20), ALTER COLUMN a SET NOT NULL, ALTER COLUMN d DROP DEFAULT;
                ALTER TABLE t ALTER COLUMN d SET DEFAULT 7, ALTER COLUMN a DROP NOT NULL;
                ALTER TABLE t RENAME COLUMN b TO body;
                ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY;
                """);
        TableInfo t = table(s, "t");
        assertThat(t.columns()).extracting(ColumnInfo::name).containsExactly("a", "body", "c", "d");
        assertThat(t.column("a").orElseThrow().type().display()).isEqualTo("integer");
        assertThat(t.column("a").orElseThrow().identity()).isTrue();
        assertThat(t.column("c").orElseThrow().type()).isEqualTo(new TypeName("varchar", List.of(20), 0, "varchar(20)"));
        assertThat(t.column("d").orElseThrow().defaultValue().text()).isEqualTo("7");
        assertThat(t.column("d").orElseThrow().notNull()).isTrue();
        assertThat(s.index(QualifiedName.of("public", "t_b_idx")).orElseThrow().elements()).containsExactly("body");

        replay("ALTER TABLE t ALTER COLUMN a DROP IDENTITY; ALTER TABLE t DROP COLUMN body", s);
        assertThat(t.column("a").orElseThrow().identity()).isFalse();
        assertThat(t.column("body")).isEmpty();
        assertThat(s.index(QualifiedName.of("public", "t_b_idx"))).as("an index on a dropped column goes with it").isEmpty();
    }

    @Test
    void constraintsAddedNotValidAreValidatedLater() {
        SchemaModel s = replay("""
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE t (a int, pid int);
                ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;
                ALTER TABLE t ADD CONSTRAINT t_pid_fkey FOREIGN KEY (pid) REFERENCES p (id) NOT VALID;
                ALTER TABLE t ADD CHECK (a > 0);
                """);
        TableInfo t = table(s, "t");
        assertThat(t.constraint("t_a_nn").orElseThrow().validated()).isFalse();
        assertThat(t.constraint("t_pid_fkey").orElseThrow().validated()).isFalse();
        assertThat(t.constraint("t_a_check").orElseThrow().validated()).isTrue();
        replay("ALTER TABLE t VALIDATE CONSTRAINT t_a_nn; ALTER TABLE t VALIDATE CONSTRAINT t_pid_fkey", s);
        assertThat(t.constraint("t_a_nn").orElseThrow().validated()).isTrue();
        assertThat(t.constraint("t_pid_fkey").orElseThrow().validated()).isTrue();
        replay("ALTER TABLE t RENAME CONSTRAINT t_a_nn TO t_a_not_null; ALTER TABLE t DROP CONSTRAINT t_pid_fkey", s);
        assertThat(t.constraints()).extracting(ConstraintInfo::name).containsExactly("t_a_not_null", "t_a_check");
    }

    @Test
    void usingIndexAdoptsAndRenamesTheIndex() {
        SchemaModel s = replay("""
                CREATE TABLE t (a int, b int NOT NULL);
                CREATE UNIQUE INDEX t_a_uq ON t (a);
                ALTER TABLE t ADD CONSTRAINT t_a_uniq UNIQUE USING INDEX t_a_uq;
                CREATE UNIQUE INDEX t_b_uq ON t (b);
                ALTER TABLE t ADD PRIMARY KEY USING INDEX t_b_uq;
                """);
        TableInfo t = table(s, "t");
        // PostgreSQL: "ALTER TABLE / ADD CONSTRAINT USING INDEX will rename index "t_a_uq" to "t_a_uniq"".
        assertThat(indexNames(s, "t")).containsExactly("t_a_uniq", "t_b_uq");
        assertThat(t.constraint("t_a_uniq").orElseThrow().columns()).containsExactly("a");
        assertThat(t.constraint("t_b_uq").orElseThrow().kind()).isEqualTo(ConstraintInfo.Kind.PRIMARY_KEY);
        assertThat(s.index(QualifiedName.of("public", "t_b_uq")).orElseThrow().primary()).isTrue();

        replay("ALTER INDEX t_a_uniq RENAME TO t_a_key; ALTER TABLE t DROP CONSTRAINT t_b_uq", s);
        assertThat(t.constraint("t_a_key")).as("renaming a constraint's index renames the constraint").isPresent();
        assertThat(indexNames(s, "t")).containsExactly("t_a_key");
    }

    @Test
    void primaryKeyMakesColumnsNotNull() {
        SchemaModel s = replay("CREATE TABLE t (a int, b int); ALTER TABLE t ADD PRIMARY KEY (a, b)");
        TableInfo t = table(s, "t");
        assertThat(t.column("a").orElseThrow().notNull()).isTrue();
        assertThat(t.column("b").orElseThrow().notNull()).isTrue();
        assertThat(indexNames(s, "t")).containsExactly("t_pkey");
    }

    @Test
    void renameAndSetSchemaMoveTablesIndexesAndForeignKeys() {
        SchemaModel s = replay("""
                CREATE SCHEMA archive;
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE t (pid int REFERENCES p);
                ALTER TABLE p RENAME TO parent;
                """);
        assertThat(s.table(QualifiedName.of("p"))).isEmpty();
        assertThat(table(s, "t").constraint("t_pid_fkey").orElseThrow().refTable()).isEqualTo(QualifiedName.of("public", "parent"));
        assertThat(s.index(QualifiedName.of("public", "p_pkey")).orElseThrow().table()).isEqualTo(QualifiedName.of("public", "parent"));
        replay("ALTER TABLE parent SET SCHEMA archive", s);
        assertThat(s.table(QualifiedName.of("archive", "parent"))).isPresent();
        assertThat(s.index(QualifiedName.of("archive", "p_pkey"))).isPresent();
        assertThat(s.index(QualifiedName.of("public", "p_pkey"))).isEmpty();
        assertThat(s.referencing(QualifiedName.of("archive", "parent"))).hasSize(1);
    }

    @Test
    void dropTableRemovesItsIndexesPartitionsAndForeignKeysPointingAtIt() {
        SchemaModel s = replay("""
                CREATE TABLE p (id int PRIMARY KEY);
                CREATE TABLE t (pid int REFERENCES p);
                CREATE TABLE m (k int, v int) PARTITION BY RANGE (k);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
                DROP TABLE p CASCADE;
                DROP TABLE m;
                """);
        assertThat(s.tables()).extracting(t -> t.name().name()).containsExactly("t");
        assertThat(table(s, "t").constraints()).isEmpty();
        assertThat(s.index(QualifiedName.of("public", "p_pkey"))).isEmpty();
    }

    @Test
    void partitionsInheritColumnsIndexesAndConstraints() {
        SchemaModel s = replay("""
                CREATE TABLE m (k int NOT NULL, v int, PRIMARY KEY (k)) PARTITION BY RANGE (k);
                CREATE INDEX ON m (v);
                ALTER TABLE m ADD CONSTRAINT m_v_ck CHECK (v > 0);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
                CREATE TABLE m2 (k int NOT NULL, v int);
                ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (10) TO (20);
                """);
        assertThat(table(s, "m").kind()).isEqualTo(RelationKind.PARTITIONED_TABLE);
        TableInfo m1 = table(s, "m1");
        assertThat(m1.partitionOf()).isEqualTo(QualifiedName.of("public", "m"));
        assertThat(m1.columns()).extracting(ColumnInfo::name).containsExactly("k", "v");
        // PostgreSQL 15: m1_pkey, m1_v_idx, and the CHECK keeps the parent's name.
        assertThat(indexNames(s, "m1")).containsExactly("m1_pkey", "m1_v_idx");
        assertThat(m1.constraint("m_v_ck")).isPresent();
        assertThat(s.partitionsOf(QualifiedName.of("m"))).extracting(t -> t.name().name()).containsExactly("m1", "m2");
        assertThat(indexNames(s, "m2")).as("ATTACH builds the parent's indexes on the partition").containsExactly("m2_pkey", "m2_v_idx");
        assertThat(table(s, "m2").constraint("m_v_ck")).isPresent();
        replay("ALTER TABLE m DROP CONSTRAINT m_pkey", s);
        assertThat(indexNames(s, "m1")).containsExactly("m1_v_idx");
        replay("ALTER TABLE m DETACH PARTITION m2", s);
        assertThat(s.partitionsOf(QualifiedName.of("m"))).extracting(t -> t.name().name()).containsExactly("m1");
    }

    @Test
    void indexOnOnlyAPartitionedTableIsInvalidUntilEveryPartitionIsAttached() {
        SchemaModel s = replay("""
                CREATE TABLE m (k int, v int) PARTITION BY RANGE (k);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
                CREATE INDEX m_v_idx ON ONLY m (v);
                """);
        assertThat(s.index(QualifiedName.of("public", "m_v_idx")).orElseThrow().valid()).isFalse();
        assertThat(indexNames(s, "m1")).isEmpty();
        replay("CREATE INDEX m1_v_idx ON m1 (v); ALTER INDEX m_v_idx ATTACH PARTITION m1_v_idx", s);
        assertThat(s.index(QualifiedName.of("public", "m_v_idx")).orElseThrow().valid()).isTrue();
    }

    @Test
    void viewsAndMaterializedViews() {
        SchemaModel s = replay("""
                CREATE TABLE t (a int);
                CREATE VIEW v AS SELECT a FROM t;
                CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
                ALTER VIEW v RENAME TO v2;
                """);
        assertThat(table(s, "v2").kind()).isEqualTo(RelationKind.VIEW);
        assertThat(table(s, "mv").kind()).isEqualTo(RelationKind.MATERIALIZED_VIEW);
        replay("DROP MATERIALIZED VIEW mv; DROP VIEW v2", s);
        assertThat(s.tables()).extracting(t -> t.name().name()).containsExactly("t");
    }

    @Test
    void enumTypes() {
        SchemaModel s = replay("""
                CREATE TYPE status AS ENUM ('new', 'done');
                ALTER TYPE status ADD VALUE 'started' BEFORE 'done';
                ALTER TYPE status ADD VALUE IF NOT EXISTS 'new';
                ALTER TYPE status ADD VALUE 'archived';
                ALTER TYPE status RENAME VALUE 'done' TO 'finished';
                """);
        assertThat(s.enumType(QualifiedName.of("status")).orElseThrow()).containsExactly("new", "started", "finished", "archived");
        replay("DROP TYPE status", s);
        assertThat(s.enumType(QualifiedName.of("status"))).isEmpty();
    }

    @Test
    void unknownObjectsAreIgnored() {
        SchemaModel s = replay("""
                ALTER TABLE nowhere ADD COLUMN a int, ALTER COLUMN b SET NOT NULL, DROP CONSTRAINT c, VALIDATE CONSTRAINT d;
                ALTER TABLE nowhere RENAME TO elsewhere;
                DROP TABLE IF EXISTS nowhere;
                DROP INDEX IF EXISTS nothing;
                ALTER INDEX nothing RENAME TO something;
                ALTER TYPE nothing ADD VALUE 'x';
                ALTER TABLE parent ATTACH PARTITION child FOR VALUES FROM (1) TO (2);
                CREATE INDEX ON nowhere (a);
                """);
        assertThat(s.tables()).isEmpty();
        assertThat(s.index(QualifiedName.of("public", "nowhere_a_idx"))).isPresent();
    }

    @Test
    void hasNoOpinionOnStatementsThatDoNotChangeTheSchemaModel() {
        SchemaModel s = replay("CREATE TABLE t (a int)");
        SchemaReplayer r = new SchemaReplayer();
        r.apply(new Change.Opaque("x"), s);
        r.apply(new Change.AlterTable(QualifiedName.of("t"), false, false, List.of(new AlterAction.SetLogged())), s);
        r.apply(new Change.AlterTable(QualifiedName.of("t"), false, false, List.of(new AlterAction.SetUnlogged())), s);
        assertThat(table(s, "t").unlogged()).isTrue();
        assertThat(table(s, "t").columns()).hasSize(1);
    }

    /**
     * The replayed model against what PostgreSQL itself makes of the same script: generated names,
     * column types and NOT NULL, constraint kinds and validated state, index flags.
     */
    @Nested
    @ExtendWith(PostgresExtension.class)
    class AgainstPostgres {

        @Test
        void replayMatchesTheLiveCatalog(TestDatabase db) throws Exception {
            String script = """
                    CREATE TABLE accounts (id serial PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, balance numeric(12,2) CHECK (balance >= 0),
                      created_at timestamptz NOT NULL DEFAULT now(), code bigint GENERATED ALWAYS AS IDENTITY);
                    CREATE TABLE invoices (id bigserial PRIMARY KEY, account_id integer REFERENCES accounts, total numeric(12,2),
                      CHECK (total > 0), CHECK (total < 1000000 AND account_id IS NOT NULL), UNIQUE (account_id, total));
                    CREATE INDEX ON invoices (account_id);
                    CREATE INDEX ON invoices (lower(total::text));
                    CREATE INDEX ON invoices (account_id);
                    CREATE UNIQUE INDEX ON invoices (total) WHERE total > 100;
                    ALTER TABLE invoices ADD COLUMN note text, ADD COLUMN paid boolean NOT NULL DEFAULT false;
                    ALTER TABLE invoices ADD CONSTRAINT invoices_note_check CHECK (note <> '') NOT VALID;
                    ALTER TABLE invoices ADD CHECK (total <> 13) NOT VALID;
                    ALTER TABLE invoices VALIDATE CONSTRAINT invoices_note_check;
                    ALTER TABLE invoices ALTER COLUMN note TYPE varchar(500), ALTER COLUMN total SET NOT NULL;
                    ALTER TABLE invoices RENAME COLUMN note TO memo;
                    ALTER TABLE accounts ADD COLUMN handle text;
                    CREATE UNIQUE INDEX accounts_handle_uq ON accounts (handle);
                    ALTER TABLE accounts ADD CONSTRAINT accounts_handle_key UNIQUE USING INDEX accounts_handle_uq;
                    CREATE TABLE events (k int NOT NULL, v int, PRIMARY KEY (k)) PARTITION BY RANGE (k);
                    CREATE INDEX ON events (v);
                    CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);
                    CREATE TABLE events_2 (k int NOT NULL, v int);
                    CREATE INDEX events_2_by_v ON events_2 (v);
                    ALTER TABLE events ATTACH PARTITION events_2 FOR VALUES FROM (100) TO (200);
                    ALTER TABLE events ADD CONSTRAINT events_v_check CHECK (v > 0);
                    CREATE TABLE events_ref (k int PRIMARY KEY);
                    ALTER TABLE events ADD FOREIGN KEY (k) REFERENCES events_ref (k);
                    CREATE TABLE long_table_name_for_truncation_checks_abcdefghijklmn (
                      a_really_long_column_name_that_keeps_going_and_going int UNIQUE);
                    ALTER TABLE accounts RENAME TO customers;
                    """;
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.execute(script);
            }
            SchemaModel live;
            try (Connection c = db.connection()) {
                live = LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema();
            }
            SchemaModel offline = replay(script);
            assertThat(describe(offline)).isEqualTo(describe(live));
        }

        private static String describe(SchemaModel s) {
            StringBuilder sb = new StringBuilder();
            s.tables().stream().sorted((a, b) -> a.name().display().compareTo(b.name().display())).forEach(t -> {
                sb.append(t.name().display()).append(' ').append(t.kind())
                        .append(t.partitionOf() != null ? " partition of " + t.partitionOf().display() : "").append('\n');
                t.columns().forEach(col -> sb.append("  column ").append(col.name()).append(' ').append(col.type().display())
                        .append(col.notNull() ? " not null" : "").append(col.identity() ? " identity" : "")
                        .append(col.generated() ? " generated" : "").append('\n'));
                t.constraints().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(k -> sb.append("  constraint ")
                        .append(k.name()).append(' ').append(k.kind()).append(k.validated() ? "" : " not valid")
                        .append(k.refTable() != null ? " -> " + k.refTable().display() : "")
                        .append(k.kind() == ConstraintInfo.Kind.CHECK ? "" : " " + k.columns()).append('\n'));
                s.indexesOn(t.name()).stream().sorted((a, b) -> a.name().display().compareTo(b.name().display())).forEach(i -> sb
                        .append("  index ").append(i.name().display()).append(i.unique() ? " unique" : "")
                        .append(i.primary() ? " primary" : "").append(i.valid() ? "" : " invalid")
                        .append(i.where() != null ? " partial" : "").append('\n'));
            });
            return sb.toString();
        }
    }
}
