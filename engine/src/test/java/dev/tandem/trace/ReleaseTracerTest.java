package dev.tandem.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.Classification;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.Finding;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.TableLock;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlScript;
import dev.tandem.source.Statement;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules' verdict and PostgreSQL's facts side by side: who wins, what disagrees, what review statements become. */
class ReleaseTracerTest {
    private static final TraceFacts.How ROLLED_BACK = TraceFacts.How.ROLLED_BACK;

    private static StatementResult ruled(String sql, StatementClass cls, List<TableLock> locks, List<String> rewrites,
            List<String> scans, List<Finding> findings, Set<String> ignored) {
        return new StatementResult(new Statement(sql, 1, ignored, List.of()), new Change.Opaque("test"),
                new Classification(cls, locks, rewrites, scans, findings, List.of()));
    }

    @Test
    void agreementKeepsTheVerdictAndTheTracedFactsStand() {
        StatementResult s = ruled("ALTER TABLE t ALTER COLUMN v TYPE bigint", StatementClass.EXPAND_CONTRACT,
                List.of(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE)), List.of("public.t"), List.of(),
                List.of(new Finding("column-type-change-rewrites", StatementClass.EXPAND_CONTRACT, "m", "f")), Set.of());
        // a rewrite reads the table in full; an AccessShareLock on a view the rules do not model
        TraceFacts f = new TraceFacts(ROLLED_BACK, List.of(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE),
                new TableLock("public.v", LockMode.ACCESS_SHARE)), List.of("public.t"), List.of("public.t"), List.of("ALTER TABLE"),
                null);
        StatementResult m = ReleaseTracer.merge(s, f, Set.of("public.t", "public.v"));
        assertThat(TraceComparison.differences(s.classification(), f, Set.of("public.t", "public.v"))).isEmpty();
        assertThat(m.classification().statementClass()).isEqualTo(StatementClass.EXPAND_CONTRACT);
        assertThat(m.classification().scans()).containsExactly("public.t");
        assertThat(m.trace().how()).isEqualTo("rolled-back");
        assertThat(m.trace().commands()).containsExactly("ALTER TABLE");
    }

    @Test
    void aDisagreementIsAReviewFindingOfItsOwnUnlessMarkedReviewed() {
        StatementResult s = ruled("CREATE INDEX i ON t (v)", StatementClass.ONLINE_REWRITE,
                List.of(new TableLock("public.t", LockMode.SHARE)), List.of(), List.of("public.t"),
                List.of(new Finding("create-index-non-concurrent", StatementClass.ONLINE_REWRITE, "m", "f")), Set.of());
        TraceFacts f = new TraceFacts(ROLLED_BACK, List.of(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE)), List.of("public.t"),
                List.of(), List.of(), null);
        StatementResult m = ReleaseTracer.merge(s, f, Set.of("public.t", "public.v"));
        assertThat(m.classification().statementClass()).isEqualTo(StatementClass.REVIEW);
        assertThat(m.classification().findings()).extracting(Finding::rule)
                .containsExactly("create-index-non-concurrent", ReleaseTracer.DISAGREES);
        assertThat(m.classification().findings().get(1).message()).isEqualTo("PostgreSQL did not do what the rules say: "
                + "lock on public.t: PostgreSQL took AccessExclusiveLock, the rules say ShareLock; rewrites: PostgreSQL rewrote "
                + "public.t, the rules say none; full reads: PostgreSQL read none in full, the rules say public.t.");
        assertThat(m.classification().locks()).as("the traced facts win")
                .containsExactly(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE));

        StatementResult reviewed = ruled("CREATE INDEX i ON t (v)", StatementClass.ONLINE_REWRITE, s.classification().locks(),
                List.of(), List.of("public.t"), s.classification().findings(), Set.of(ReleaseTracer.DISAGREES));
        StatementResult r = ReleaseTracer.merge(reviewed, f, Set.of("public.t"));
        assertThat(r.classification().statementClass()).isEqualTo(StatementClass.ONLINE_REWRITE);
        assertThat(r.classification().suppressed()).containsExactly(ReleaseTracer.DISAGREES);
    }

    @Test
    void aReviewStatementThatProvesHarmlessBecomesCompatibleAndAFailureChangesNothing() {
        List<Finding> doBlock = List.of(new Finding("do-block", StatementClass.REVIEW, "m", "f"));
        StatementResult s = ruled("DO $$ BEGIN PERFORM 1; END $$", StatementClass.REVIEW, List.of(), List.of(), List.of(), doBlock,
                Set.of());
        StatementResult harmless = merge(s, Set.of("public.t"), new TraceFacts(ROLLED_BACK, List.of(new TableLock("public.t",
                LockMode.ROW_EXCLUSIVE)), List.of(), List.of(), List.of(), null));
        assertThat(harmless.classification().statementClass()).isEqualTo(StatementClass.COMPATIBLE);
        StatementResult heavy = merge(s, Set.of("public.t"), new TraceFacts(ROLLED_BACK, List.of(new TableLock("public.t",
                LockMode.ACCESS_EXCLUSIVE)), List.of(), List.of(), List.of(), null));
        assertThat(heavy.classification().statementClass()).isEqualTo(StatementClass.REVIEW);
        assertThat(heavy.classification().locks()).containsExactly(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE));
        StatementResult failed = merge(s, Set.of("public.t"), new TraceFacts(ROLLED_BACK, List.of(), List.of(), List.of(), List.of(),
                "relation \"t\" does not exist (SQLSTATE 42P01)"));
        assertThat(failed.classification()).isEqualTo(s.classification());
        assertThat(failed.trace().error()).contains("42P01");
    }

    @Test
    void aReleaseTracedOnTheServerAgreesWithTheRulesWhereTheyAreRight() throws Exception {
        Migration v1 = migration("1", "CREATE TABLE t (id bigint PRIMARY KEY, v int NOT NULL, s text);\n"
                + "INSERT INTO t SELECT i, i, 'x' FROM generate_series(1, 100000) i;\n");
        Migration v2 = migration("2", """
                CREATE INDEX t_v ON t (v);
                ALTER TABLE t ADD CONSTRAINT t_v_pos CHECK (v > 0) NOT VALID;
                ALTER TABLE t VALIDATE CONSTRAINT t_v_pos;
                ALTER TABLE t ALTER COLUMN v TYPE bigint;
                DO $$ BEGIN PERFORM count(*) FROM pg_class; END $$;
                """);
        SchemaModel schema = SchemaModel.offline();
        // V1 is "applied": the rules see its table, the trace replays its schema but not its rows
        ClassifiedSet both = new Classifier(RuleRegistry.all(), new PgVersion(15)).classify(List.of(v1, v2), schema.copy());
        ClassifiedSet release = new ClassifiedSet(both.postgresVersion(), List.of(both.migrations().get(1)));
        try (TestDatabase admin = PostgresHarness.get().newDatabase();
                ScratchDatabase scratch = ScratchDatabase.create(admin.jdbcUrl(), admin.user(), admin.password())) {
            ReleaseTracer.Result r = ReleaseTracer.trace(scratch, List.of(v1), release, 50);
            assertThat(r.disagreements()).isZero();
            assertThat(r.sample().filled()).containsExactly("t");
            List<StatementResult> s = r.set().migrations().get(0).statements();
            assertThat(s).allSatisfy(x -> assertThat(x.traced()).isTrue());
            assertThat(s.get(0).classification().scans()).containsExactly("public.t");
            assertThat(s.get(2).classification().locks()).containsExactly(new TableLock("public.t", LockMode.SHARE_UPDATE_EXCLUSIVE));
            assertThat(s.get(3).classification().rewrites()).containsExactly("public.t");
            assertThat(s.get(4).classification().statementClass()).as("the DO block only read a catalog")
                    .isEqualTo(StatementClass.COMPATIBLE);
        }
    }

    /** A table the rules' model never knew and the rules do not name could not have been named: not a disagreement. */
    @Test
    void tablesTheModelNeverKnewAreReportedNotCompared() {
        StatementResult s = ruled("ALTER DOMAIN zip ADD CONSTRAINT c CHECK (VALUE <> '')", StatementClass.ONLINE_REWRITE,
                List.of(), List.of(), List.of(), List.of(), Set.of());
        TraceFacts f = new TraceFacts(ROLLED_BACK, List.of(new TableLock("public.addresses", LockMode.SHARE)), List.of(),
                List.of("public.addresses"), List.of(), null);
        Set<String> existing = Set.of("public.addresses");
        assertThat(TraceComparison.differences(s.classification(), f, existing, Set.of())).isEmpty();
        assertThat(TraceComparison.differences(s.classification(), f, existing, Set.of("public.addresses"))).hasSize(2);
        assertThat(TraceComparison.differences(s.classification(), f, existing)).hasSize(2);
        // a table the rules name is compared whether the model knew it or not
        StatementResult named = ruled("ALTER TABLE addresses ADD CHECK (zip <> '')", StatementClass.ONLINE_REWRITE,
                List.of(new TableLock("public.addresses", LockMode.ACCESS_EXCLUSIVE)), List.of(), List.of(), List.of(), Set.of());
        assertThat(TraceComparison.differences(named.classification(), f, existing, Set.of()))
                .contains("lock on public.addresses: PostgreSQL took ShareLock, the rules say AccessExclusiveLock");
    }

    /** Roles, databases and the server's configuration are the server's: traced, never left behind on it. */
    @Test
    void whatActsPastTheScratchDatabaseIsNeverRunForReal() throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        String earlierRole = "tandem_probe_a_" + suffix;
        String role = "tandem_probe_b_" + suffix;
        String database = "tandem_probe_db_" + suffix;
        Migration v1 = migration("1", "CREATE ROLE " + earlierRole + ";\nCREATE TABLE t (id bigint PRIMARY KEY);\n");
        Migration v2 = nonTransactional("2", "CREATE ROLE " + role + ";\nCREATE DATABASE " + database + ";\n"
                + "ALTER SYSTEM SET work_mem = '5MB';\nGRANT " + role + " TO CURRENT_USER;\nALTER TABLE t ADD COLUMN v int;\n");
        ClassifiedSet both = new Classifier(RuleRegistry.all(), new PgVersion(15)).classify(List.of(v1, v2), SchemaModel.offline());
        ClassifiedSet release = new ClassifiedSet(both.postgresVersion(), List.of(both.migrations().get(1)));
        try (TestDatabase admin = PostgresHarness.get().newDatabase()) {
            String autoConf;
            try (ScratchDatabase scratch = ScratchDatabase.create(admin.jdbcUrl(), admin.user(), admin.password())) {
                autoConf = scalar(scratch, "SELECT coalesce(string_agg(name || '=' || setting, ','), '') FROM pg_file_settings"
                        + " WHERE sourcefile LIKE '%postgresql.auto.conf'");
                List<StatementResult> s = ReleaseTracer.trace(scratch, List.of(v1), release, 10).set().migrations().get(0).statements();
                assertThat(s.get(0).trace().error()).as("CREATE ROLE is observed in a rolled-back transaction").isNull();
                assertThat(s.get(1).trace().error()).isEqualTo("not run on the trace server: a database belongs to the server,"
                        + " not to the scratch database");
                assertThat(s.get(2).trace().error()).isEqualTo("not run on the trace server: ALTER SYSTEM changes the server's"
                        + " configuration");
                assertThat(s.get(4).trace().error()).as("the statements after them still run").isNull();
                assertThat(scalar(scratch, "SELECT count(*) FROM pg_roles WHERE rolname IN ('" + earlierRole + "', '" + role + "')"))
                        .isEqualTo("0");
                assertThat(scalar(scratch, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")).isEqualTo("0");
                assertThat(scalar(scratch, "SELECT coalesce(string_agg(name || '=' || setting, ','), '') FROM pg_file_settings"
                        + " WHERE sourcefile LIKE '%postgresql.auto.conf'")).isEqualTo(autoConf);
            }
        }
    }

    private static String scalar(ScratchDatabase scratch, String sql) throws java.sql.SQLException {
        try (var c = scratch.connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static StatementResult merge(StatementResult s, Set<String> existing, TraceFacts f) {
        return ReleaseTracer.merge(s, f, existing);
    }

    private static Migration migration(String version, String sql) {
        return migration(version, sql, true);
    }

    private static Migration nonTransactional(String version, String sql) {
        return migration(version, sql, false);
    }

    private static Migration migration(String version, String sql, boolean transactional) {
        SqlScript script = SqlScript.parse(sql, "V" + version + "__m.sql", 1);
        return new Migration(version, "m", "V" + version + "__m.sql", MigrationType.VERSIONED, script.statements(), transactional,
                script.ignoredRules());
    }
}
