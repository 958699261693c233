package dev.tandem.it.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.Finding;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.RuleFixtureTest;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.cli.EmbeddedTraceServer;
import dev.tandem.source.Migration;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import dev.tandem.trace.ReleaseTracer;
import dev.tandem.trace.ScratchDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6's version matrix over the classification fixtures: every case of every
 * {@code engine/src/test/resources/fixtures/*.sql} traced on PostgreSQL 13 and 18 (embedded) and
 * on the harness's server (15 here), its {@code -- when:} statements against the rules' verdict
 * for that version. A disagreement fails the test unless it is one of {@link #KNOWN}, each with
 * why the rules and the trace differ; a known one that stops disagreeing fails it too, so the
 * list only shrinks.
 */
class FixtureTraceMatrixIT {
    /** Case ("file › case") → why it still disagrees. Fix the rule, then remove the entry. */
    static final Map<String, String> KNOWN = Map.of();

    private static final int SAMPLE_ROWS = 20;

    /** The tablespace the set-tablespace fixtures move tables to (created in place, PostgreSQL's developer option). */
    static final String FIXTURE_TABLESPACE = "fast_ssd";

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 15, 18})
    void everyFixtureAgreesWithPostgres(int version) throws Exception {
        List<RuleFixtureTest.FixtureCase> cases = RuleFixtureTest.FixtureFile.loadAll(
                Path.of("../engine/src/test/resources/fixtures"), "*");
        Map<String, String> disagreements = new TreeMap<>();
        Map<String, String> failed = new TreeMap<>();
        Set<String> tracedCases = new TreeSet<>();
        int traced = 0;
        long started = System.nanoTime();
        if (version == 15) {
            try (TestDatabase admin = PostgresHarness.get().newDatabase()) {
                traced = run(cases, version, admin.jdbcUrl(), admin.user(), admin.password(), disagreements, failed, tracedCases);
            }
        } else {
            try (EmbeddedTraceServer server = EmbeddedTraceServer.start(version, new PrintWriter(new StringWriter()))) {
                traced = run(cases, version, server.jdbcUrl(), "postgres", null, disagreements, failed, tracedCases);
            }
        }
        System.out.printf("[fixture-matrix] PostgreSQL %d: %d cases, %d statements traced in %.1f s, %d known disagreements%n",
                version, tracedCases.size(), traced, (System.nanoTime() - started) / 1e9, disagreements.size());
        failed.forEach((k, v) -> System.out.printf("[fixture-matrix] PostgreSQL %d: failed: %s: %s%n", version, k, v));
        Map<String, String> unknown = new TreeMap<>(disagreements);
        unknown.keySet().removeAll(KNOWN.keySet());
        assertThat(unknown).as("cases where PostgreSQL %d and the rules disagree: fix the rule", version).isEmpty();
        Set<String> expected = new TreeSet<>(KNOWN.keySet());
        expected.retainAll(tracedCases);
        assertThat(new TreeSet<>(disagreements.keySet())).as("known disagreements that no longer disagree on PostgreSQL %d: "
                + "remove them from KNOWN", version).isEqualTo(expected);
    }

    private static int run(List<RuleFixtureTest.FixtureCase> cases, int version, String url, String user, String password,
            Map<String, String> disagreements, Map<String, String> failed, Set<String> tracedCases) throws Exception {
        createFixtureTablespace(url, user, password);
        int traced = 0;
        for (RuleFixtureTest.FixtureCase c : cases) {
            // a case holds for the range its "-- pg:" line gives (12 to 18 without one)
            int low = c.versions().stream().min(Integer::compare).orElse(12);
            int high = c.versions().stream().max(Integer::compare).orElse(18);
            if (version < low || version > high) continue;
            tracedCases.add(c.file() + " › " + c.name());
            List<Migration> given = c.given().isBlank() ? List.of()
                    : List.of(RuleFixtureTest.migration("0", c.file() + " (given)", c.given(), true));
            Migration when = RuleFixtureTest.migration("1", c.file() + " (when)", c.when(), c.transactional());
            List<StatementResult> statements = trace(given, when, version, url, user, password, SAMPLE_ROWS);
            // generated rows that break the statement (a bound, a NOT NULL, a cast) stop it before
            // PostgreSQL shows its locks, rewrites and scans: those facts do not depend on the
            // rows, so the case is traced again on empty tables
            if (statements.stream().anyMatch(FixtureTraceMatrixIT::failedOnTheRows)) {
                statements = trace(given, when, version, url, user, password, 0);
            }
            for (StatementResult s : statements) {
                if (s.traced() && s.trace().error() != null) {
                    failed.put(c.file() + " › " + c.name(), s.trace().error());
                    continue;
                }
                if (s.traced()) traced++;
                for (Finding f : s.classification().findings()) {
                    if (f.rule().equals(ReleaseTracer.DISAGREES)) disagreements.put(c.file() + " › " + c.name(), f.message());
                }
            }
        }
        return traced;
    }

    /** The case's {@code when} statements, classified and traced on a scratch database of their own. */
    private static List<StatementResult> trace(List<Migration> given, Migration when, int version, String url, String user,
            String password, int rows) throws Exception {
        try (ScratchDatabase scratch = ScratchDatabase.create(url, user, password)) {
            // as migrate plan --trace does: the rules judge the statements for the trace session, and
            // tables the model did not know before the case's migration (made inside a DO block) are
            // reported, not compared
            Classifier classifier = new Classifier(RuleRegistry.all(), new PgVersion(version), scratch.session());
            SchemaModel before = SchemaModel.offline();
            classifier.classify(given, before);
            Set<String> modelled = new java.util.HashSet<>();
            before.tables().forEach(t -> modelled.add(t.name().display()));
            ClassifiedSet release = classifier.classify(List.of(when), before.copy());
            return ReleaseTracer.trace(scratch, given, release, rows, modelled).set().migrations().get(0).statements();
        }
    }

    /** A data exception (class 22) or an integrity constraint violation (class 23): the generated rows' doing. */
    private static boolean failedOnTheRows(StatementResult s) {
        String error = s.trace() == null ? null : s.trace().error();
        return error != null && (error.contains("(SQLSTATE 22") || error.contains("(SQLSTATE 23"));
    }

    /**
     * The fixtures' second tablespace, so that a move is a real copy: an "in place" one (a
     * directory under pg_tblspc, allow_in_place_tablespaces, in every version the matrix runs)
     * made once per server; tablespaces outlive the scratch databases.
     */
    private static void createFixtureTablespace(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_tablespace WHERE spcname = '" + FIXTURE_TABLESPACE + "'")) {
                if (rs.next()) return;
            }
            st.execute("SET allow_in_place_tablespaces = on");
            st.execute("CREATE TABLESPACE " + FIXTURE_TABLESPACE + " LOCATION ''");
        }
    }
}
