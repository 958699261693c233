package dev.tandem.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.RawStatement;
import dev.tandem.sql.SqlParser;
import dev.tandem.sql.SqlSplitter;
import dev.tandem.testing.PostgresExtension;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class LockAnalyzerTest {
    private static final SqlParser PARSER = new SqlParser();
    private static final LockAnalyzer ANALYZER = new LockAnalyzer();

    private static SchemaModel replay(String script) {
        SchemaModel schema = SchemaModel.offline();
        SchemaReplayer replayer = new SchemaReplayer();
        for (RawStatement s : SqlSplitter.split(script)) replayer.apply(PARSER.parse(s.sql()), schema);
        return schema;
    }

    private static Change parse(String sql) {
        return PARSER.parse(sql);
    }

    /** {@code public.t:AccessExclusiveLock, …} in the analyzer's order. */
    private static List<String> locks(String setup, String sql, int version) {
        return ANALYZER.locks(parse(sql), replay(setup), new PgVersion(version)).stream()
                .map(l -> l.table() + ":" + l.mode().pgName()).toList();
    }

    @Test
    void alterTableTakesTheStrongestLockOfItsSubcommands() {
        assertThat(locks("", "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100", 16))
                .containsExactly("public.t:ShareUpdateExclusiveLock");
        assertThat(locks("", "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ENABLE TRIGGER ALL", 16))
                .containsExactly("public.t:ShareRowExclusiveLock");
        assertThat(locks("", "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ADD COLUMN b int", 16))
                .containsExactly("public.t:AccessExclusiveLock");
        assertThat(locks("", "ALTER TABLE t SET (fillfactor = 70, autovacuum_enabled = false)", 16))
                .containsExactly("public.t:ShareUpdateExclusiveLock");
        assertThat(locks("", "ALTER TABLE t SET (user_catalog_table = true)", 16))
                .containsExactly("public.t:AccessExclusiveLock");
    }

    @Test
    void foreignKeysLockTheReferencedTableInStatementOrder() {
        assertThat(locks("", "ALTER TABLE emails ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID", 16))
                .containsExactly("public.emails:ShareRowExclusiveLock", "public.users:ShareRowExclusiveLock");
        assertThat(locks("", "ALTER TABLE emails ADD COLUMN user_id bigint REFERENCES app.users", 16))
                .containsExactly("public.emails:AccessExclusiveLock", "app.users:ShareRowExclusiveLock");
        String setup = "CREATE TABLE users (id int PRIMARY KEY); CREATE TABLE emails (user_id int REFERENCES users); "
                + "ALTER TABLE emails ADD CONSTRAINT nv FOREIGN KEY (user_id) REFERENCES users NOT VALID";
        assertThat(locks(setup, "ALTER TABLE emails VALIDATE CONSTRAINT nv", 16))
                .containsExactly("public.emails:ShareUpdateExclusiveLock", "public.users:RowShareLock");
        assertThat(locks(setup, "ALTER TABLE emails DROP CONSTRAINT emails_user_id_fkey", 16))
                .containsExactly("public.emails:AccessExclusiveLock", "public.users:AccessExclusiveLock");
        assertThat(locks(setup, "DROP TABLE users CASCADE", 16))
                .containsExactly("public.users:AccessExclusiveLock", "public.emails:AccessExclusiveLock");
        assertThat(locks(setup, "TRUNCATE users CASCADE", 16))
                .containsExactly("public.users:AccessExclusiveLock", "public.emails:AccessExclusiveLock");
        assertThat(locks(setup, "TRUNCATE users", 16)).containsExactly("public.users:AccessExclusiveLock");
    }

    @Test
    void partitionLocksDependOnTheVersion() {
        String setup = "CREATE TABLE m (k int) PARTITION BY RANGE (k); CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10)";
        // ATTACH: ShareUpdateExclusiveLock on the parent since PG 12.
        assertThat(locks(setup, "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (10) TO (20)", 12))
                .containsExactly("public.m:ShareUpdateExclusiveLock", "public.m2:AccessExclusiveLock");
        // DETACH … CONCURRENTLY: PG 14+.
        assertThat(locks(setup, "ALTER TABLE m DETACH PARTITION m1 CONCURRENTLY", 14))
                .containsExactly("public.m:ShareUpdateExclusiveLock", "public.m1:AccessExclusiveLock");
        // before 14 a DETACH (CONCURRENTLY does not exist yet) takes only ShareUpdateExclusiveLock on
        // the partition (traced on 13: FixtureTraceMatrixIT)
        assertThat(locks(setup, "ALTER TABLE m DETACH PARTITION m1 CONCURRENTLY", 13))
                .containsExactly("public.m:AccessExclusiveLock", "public.m1:ShareUpdateExclusiveLock");
        assertThat(locks(setup, "ALTER TABLE m DETACH PARTITION m1", 18))
                .containsExactly("public.m:AccessExclusiveLock", "public.m1:AccessExclusiveLock");
        assertThat(locks(setup, "CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20)", 16))
                .containsExactly("public.m:AccessExclusiveLock");
        // Column subcommands recurse into partitions, ONLY does not; RENAME TO never recurses.
        assertThat(locks(setup, "ALTER TABLE m ADD COLUMN z int", 16))
                .containsExactly("public.m:AccessExclusiveLock", "public.m1:AccessExclusiveLock");
        assertThat(locks(setup, "ALTER TABLE ONLY m ALTER COLUMN k SET DEFAULT 0", 16))
                .containsExactly("public.m:AccessExclusiveLock");
        assertThat(locks(setup, "ALTER TABLE m RENAME TO n", 16)).containsExactly("public.m:AccessExclusiveLock");
        assertThat(locks(setup, "CREATE INDEX ON m (k)", 16)).containsExactly("public.m:ShareLock", "public.m1:ShareLock");
        assertThat(locks(setup, "CREATE INDEX ON ONLY m (k)", 16)).containsExactly("public.m:ShareLock");
    }

    @Test
    void indexesAreFoundThroughTheModel() {
        String setup = "CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a)";
        assertThat(locks(setup, "DROP INDEX t_a_idx", 16)).containsExactly("public.t:AccessExclusiveLock");
        assertThat(locks(setup, "DROP INDEX CONCURRENTLY t_a_idx", 16)).containsExactly("public.t:ShareUpdateExclusiveLock");
        assertThat(locks(setup, "DROP INDEX unknown_idx", 16)).isEmpty();
        assertThat(locks(setup, "REINDEX INDEX t_a_idx", 16)).containsExactly("public.t:ShareLock");
        assertThat(locks(setup, "REINDEX INDEX CONCURRENTLY t_a_idx", 16)).containsExactly("public.t:ShareUpdateExclusiveLock");
        assertThat(locks(setup, "CREATE INDEX CONCURRENTLY ON t (a)", 16)).containsExactly("public.t:ShareUpdateExclusiveLock");
    }

    @Test
    void otherStatements() {
        assertThat(locks("", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", 16)).containsExactly("public.mv:ExclusiveLock");
        assertThat(locks("", "REFRESH MATERIALIZED VIEW mv", 16)).containsExactly("public.mv:AccessExclusiveLock");
        assertThat(locks("", "LOCK TABLE a, b IN SHARE ROW EXCLUSIVE MODE", 16))
                .containsExactly("public.a:ShareRowExclusiveLock", "public.b:ShareRowExclusiveLock");
        assertThat(locks("", "VACUUM FULL t", 16)).containsExactly("public.t:AccessExclusiveLock");
        assertThat(locks("", "VACUUM (ANALYZE) t", 16)).containsExactly("public.t:ShareUpdateExclusiveLock");
        assertThat(locks("", "UPDATE t SET a = 1", 16)).containsExactly("public.t:RowExclusiveLock");
        assertThat(locks("", "COMMENT ON COLUMN s.\"T\".a IS 'x'", 16)).containsExactly("s.T:ShareUpdateExclusiveLock");
        assertThat(locks("", "CREATE TABLE n (x int)", 16)).isEmpty();
        assertThat(locks("", "ALTER TYPE status ADD VALUE 'x'", 16)).isEmpty();
        assertThat(locks("", "CREATE SEQUENCE s", 16)).isEmpty();
        assertThat(locks("CREATE DOMAIN d AS int; CREATE TABLE a (x d); CREATE TABLE b (y int)",
                "ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0)", 16)).containsExactly("public.a:ShareLock");
        assertThat(locks("CREATE DOMAIN d AS int; CREATE TABLE a (x d)",
                "ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID", 16)).isEmpty();
    }

    @Test
    void namePartsFoldUnquotedIdentifiers() {
        assertThat(LockAnalyzer.nameParts("Public.\"My Table\".Col")).containsExactly("public", "My Table", "col");
        assertThat(LockAnalyzer.nameParts("t")).containsExactly("t");
        assertThat(LockAnalyzer.nameParts("\"a\"\"b\".c")).containsExactly("a\"b", "c");
    }

    /**
     * The analyzer against {@code pg_locks} on the real server: each statement runs inside
     * BEGIN … ROLLBACK on a schema built by the setup script (committed, in a schema of its own),
     * and the strongest lock per pre-existing relation must match what the analyzer computes from
     * the replayed setup. AccessShareLocks PostgreSQL takes for reading (a view's query, a
     * constraint check) are not modelled and not compared.
     */
    @Nested
    @ExtendWith(PostgresExtension.class)
    class AgainstPostgres {
        private static final String SETUP = """
                CREATE TABLE p (id int PRIMARY KEY, v int);
                CREATE TABLE t (a int, b text, pid int REFERENCES p (id));
                ALTER TABLE t ADD CONSTRAINT t_a_ck CHECK (a > 0) NOT VALID;
                ALTER TABLE t ADD CONSTRAINT t_pid_nv FOREIGN KEY (pid) REFERENCES p (id) NOT VALID;
                CREATE INDEX t_a_idx ON t (a);
                CREATE TABLE m (k int NOT NULL, v int) PARTITION BY RANGE (k);
                CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
                CREATE TABLE m2 (k int NOT NULL, v int);
                CREATE TABLE par (a int);
                CREATE TABLE c (a int, z int);
                CREATE TABLE vt (a int, b text);
                CREATE MATERIALIZED VIEW mv AS SELECT a FROM vt;
                CREATE UNIQUE INDEX mv_a ON mv (a);
                CREATE VIEW v AS SELECT a, b FROM vt;
                CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
                CREATE POLICY pol ON t USING (true);
                CREATE DOMAIN d AS int;
                CREATE TABLE dt (x d);
                ALTER DOMAIN d ADD CONSTRAINT d_pos CHECK (VALUE > 0) NOT VALID;
                CREATE TYPE status AS ENUM ('a', 'b');
                INSERT INTO p VALUES (1, 1);
                INSERT INTO t VALUES (1, 'x', 1);
                """;

        private static final List<String> STATEMENTS = List.of(
                "ALTER TABLE t ADD COLUMN c int",
                "ALTER TABLE t ADD COLUMN c int REFERENCES p (id)",
                "ALTER TABLE t ADD CONSTRAINT t_fk2 FOREIGN KEY (a) REFERENCES p (id)",
                "ALTER TABLE t ADD CONSTRAINT t_fk2 FOREIGN KEY (a) REFERENCES p (id) NOT VALID",
                "ALTER TABLE t VALIDATE CONSTRAINT t_pid_nv",
                "ALTER TABLE t VALIDATE CONSTRAINT t_a_ck",
                "ALTER TABLE t DROP CONSTRAINT t_pid_fkey",
                "ALTER TABLE t DROP CONSTRAINT t_a_ck",
                "ALTER TABLE t DROP COLUMN pid",
                "ALTER TABLE t ALTER COLUMN pid TYPE bigint",
                "ALTER TABLE t ALTER COLUMN b TYPE varchar(20)",
                "ALTER TABLE p ALTER COLUMN id TYPE bigint",
                "ALTER TABLE p DROP CONSTRAINT p_pkey CASCADE",
                "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100",
                "ALTER TABLE t ALTER COLUMN a SET (n_distinct = 10)",
                "ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL",
                "ALTER TABLE t ALTER COLUMN a SET NOT NULL",
                "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1",
                "ALTER TABLE t RENAME COLUMN b TO body",
                "ALTER TABLE t SET (fillfactor = 70)",
                "ALTER TABLE t SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)",
                "ALTER TABLE t SET (user_catalog_table = true)",
                "ALTER TABLE t CLUSTER ON t_a_idx",
                "ALTER TABLE t SET WITHOUT CLUSTER",
                "ALTER TABLE t DISABLE TRIGGER ALL",
                "ALTER TABLE t ENABLE TRIGGER tr",
                "ALTER TABLE t ADD CHECK (a > 0)",
                "ALTER TABLE t ADD UNIQUE (a)",
                "ALTER TABLE t SET UNLOGGED",
                "ALTER TABLE t RENAME TO t2",
                "ALTER TABLE t SET SCHEMA public",
                "ALTER TABLE t REPLICA IDENTITY FULL",
                "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE t OWNER TO CURRENT_USER",
                "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (10) TO (20)",
                "ALTER TABLE m DETACH PARTITION m1",
                "ALTER TABLE m ADD COLUMN z int",
                "ALTER TABLE m ALTER COLUMN v SET NOT NULL",
                "ALTER TABLE m ALTER COLUMN v SET STATISTICS 10",
                "ALTER TABLE c INHERIT par",
                "CREATE INDEX ON t (b)",
                "CREATE UNIQUE INDEX ON t (a)",
                "CREATE INDEX ON m (v)",
                "CREATE INDEX ON ONLY m (v)",
                "DROP INDEX t_a_idx",
                "REINDEX TABLE t",
                "REINDEX INDEX t_a_idx",
                "DROP TABLE t",
                "DROP TABLE p CASCADE",
                "TRUNCATE p CASCADE",
                "TRUNCATE t",
                "TRUNCATE m",
                "CREATE TABLE n (x int REFERENCES p (id))",
                "CREATE TABLE m3 PARTITION OF m FOR VALUES FROM (20) TO (30)",
                "CREATE TABLE ch (b int) INHERITS (par)",
                "CREATE TABLE l (LIKE t)",
                "CREATE TRIGGER tr2 AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg()",
                "DROP TRIGGER tr ON t",
                "CREATE RULE r2 AS ON UPDATE TO t DO ALSO NOTIFY x",
                "CREATE POLICY pol2 ON t USING (false)",
                "ALTER POLICY pol ON t USING (false)",
                "DROP POLICY pol ON t",
                "CREATE STATISTICS st ON a, b FROM t",
                "REFRESH MATERIALIZED VIEW mv",
                "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
                "CREATE OR REPLACE VIEW v AS SELECT a, b, 1 AS one FROM vt",
                "ALTER VIEW v RENAME TO v2",
                "DROP VIEW v",
                "DROP MATERIALIZED VIEW mv",
                "UPDATE t SET b = 'y'",
                "DELETE FROM t",
                "INSERT INTO par VALUES (1)",
                "LOCK TABLE t IN SHARE MODE",
                "LOCK TABLE m",
                "ANALYZE t",
                "CLUSTER t USING t_a_idx",
                "COMMENT ON TABLE t IS 'x'",
                "COMMENT ON COLUMN t.a IS 'x'",
                "ALTER DOMAIN d ADD CONSTRAINT d_pos2 CHECK (VALUE > 0)",
                "ALTER DOMAIN d ADD CONSTRAINT d_pos2 CHECK (VALUE > 0) NOT VALID",
                "ALTER DOMAIN d VALIDATE CONSTRAINT d_pos",
                "ALTER DOMAIN d SET NOT NULL",
                "ALTER TYPE status ADD VALUE 'c'",
                "CREATE SEQUENCE s");

        @Test
        void matchesPgLocksOnTheServer(TestDatabase db) throws Exception {
            List<String> mismatches = new ArrayList<>();
            int withLocks = 0;
            try (Connection c = db.connection()) {
                int server = c.getMetaData().getDatabaseMajorVersion();
                PgVersion version = new PgVersion(Math.max(PgVersion.MIN, Math.min(PgVersion.MAX, server)));
                SchemaModel model = replay(SETUP);
                for (int i = 0; i < STATEMENTS.size(); i++) {
                    String sql = STATEMENTS.get(i);
                    String schema = "lk" + i;
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE SCHEMA " + schema + "; SET search_path = " + schema + "; " + SETUP);
                    }
                    Map<String, LockMode> real;
                    try {
                        real = observe(c, schema, sql);
                    } catch (java.sql.SQLException e) {
                        mismatches.add(sql + "\n    fails on PostgreSQL " + server + ": " + e.getMessage());
                        continue;
                    }
                    SchemaModel fresh = replay(SETUP);
                    Map<String, LockMode> computed = new TreeMap<>();
                    for (TableLock l : ANALYZER.locks(PARSER.parse(sql), fresh, version)) {
                        String name = l.table().substring(l.table().indexOf('.') + 1);
                        if (model.table(dev.tandem.sql.QualifiedName.of(name)).isPresent()) computed.put(name, l.mode());
                    }
                    // AccessShareLocks of reads are not modelled. (Relations are matched by OID, so those the
                    // statement drops or renames are still compared under their old names.)
                    Map<String, LockMode> comparable = new TreeMap<>();
                    real.forEach((k, mode) -> {
                        if (mode != LockMode.ACCESS_SHARE || computed.containsKey(k)) comparable.put(k, mode);
                    });
                    if (!comparable.isEmpty()) withLocks++;
                    if (!comparable.equals(computed)) {
                        mismatches.add(sql + "\n    PostgreSQL " + server + ": " + comparable + "\n    LockAnalyzer:  " + computed);
                    }
                }
            }
            assertThat(mismatches).as("statements whose locks differ from pg_locks").isEmpty();
            // Only ALTER TYPE … ADD VALUE, CREATE SEQUENCE and ALTER DOMAIN … NOT VALID lock no table.
            assertThat(withLocks).isEqualTo(STATEMENTS.size() - 3);
        }

        /** Strongest lock per relation of {@code schema} that existed before {@code sql}, by its name before. */
        private Map<String, LockMode> observe(Connection c, String schema, String sql) throws Exception {
            Map<String, LockMode> out = new TreeMap<>();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL search_path = " + schema);
                Map<Long, String> before = new HashMap<>();
                try (ResultSet rs = st.executeQuery("SELECT oid, relname FROM pg_class WHERE relnamespace = '" + schema
                        + "'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'f')")) {
                    while (rs.next()) before.put(rs.getLong(1), rs.getString(2));
                }
                st.execute(sql);
                try (ResultSet rs = st.executeQuery("SELECT relation::oid, mode FROM pg_locks WHERE pid = pg_backend_pid() "
                        + "AND locktype = 'relation' AND relation IS NOT NULL")) {
                    while (rs.next()) {
                        String name = before.get(rs.getLong(1));
                        if (name == null) continue;
                        LockMode mode = fromPg(rs.getString(2));
                        out.merge(name, mode, LockMode::stronger);
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return out;
        }

        private LockMode fromPg(String pgName) {
            for (LockMode m : LockMode.values()) {
                if (m.pgName().equals(pgName)) return m;
            }
            throw new IllegalArgumentException(pgName);
        }
    }
}
