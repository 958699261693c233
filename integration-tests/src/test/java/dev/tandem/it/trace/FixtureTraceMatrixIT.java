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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    static final Map<String, String> KNOWN = Map.of(
            "attach-partition-scans.sql › a default partition is flagged even with a CHECK: Tandem cannot tell it excludes every"
                    + " other partition", "the rule assumes a scan for a DEFAULT partition; PostgreSQL proves it away",
            "set-access-method.sql › SET ACCESS METHOD rewrites a pre-existing table (PostgreSQL 15+)",
                    "the case sets the access method the table already has (heap, the only one here): a no-op",
            "set-tablespace.sql › SET TABLESPACE copies a pre-existing table under AccessExclusiveLock",
                    "the case moves the table to the tablespace it is in (pg_default, the only one here): a no-op",
            "timestamp-to-timestamptz.sql › without a UTC session time zone every value is converted: a rewrite",
                    "the trace's session time zone is UTC, which the case says it is not",
            "timestamp-to-timestamptz.sql › SET LOCAL ends with its transaction",
                    "the trace's session time zone is UTC, which the case says it is not");

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 15, 18})
    void everyFixtureAgreesWithPostgres(int version) throws Exception {
        List<RuleFixtureTest.FixtureCase> cases = RuleFixtureTest.FixtureFile.loadAll(
                Path.of("../engine/src/test/resources/fixtures"), "*");
        Map<String, String> disagreements = new TreeMap<>();
        Set<String> tracedCases = new TreeSet<>();
        int traced = 0;
        long started = System.nanoTime();
        if (version == 15) {
            try (TestDatabase admin = PostgresHarness.get().newDatabase()) {
                traced = run(cases, version, admin.jdbcUrl(), admin.user(), admin.password(), disagreements, tracedCases);
            }
        } else {
            try (EmbeddedTraceServer server = EmbeddedTraceServer.start(version, new PrintWriter(new StringWriter()))) {
                traced = run(cases, version, server.jdbcUrl(), "postgres", null, disagreements, tracedCases);
            }
        }
        System.out.printf("[fixture-matrix] PostgreSQL %d: %d cases, %d statements traced in %.1f s, %d known disagreements%n",
                version, tracedCases.size(), traced, (System.nanoTime() - started) / 1e9, disagreements.size());
        Map<String, String> unknown = new TreeMap<>(disagreements);
        unknown.keySet().removeAll(KNOWN.keySet());
        assertThat(unknown).as("cases where PostgreSQL %d and the rules disagree: fix the rule", version).isEmpty();
        Set<String> expected = new TreeSet<>(KNOWN.keySet());
        expected.retainAll(tracedCases);
        assertThat(new TreeSet<>(disagreements.keySet())).as("known disagreements that no longer disagree on PostgreSQL %d: "
                + "remove them from KNOWN", version).isEqualTo(expected);
    }

    private static int run(List<RuleFixtureTest.FixtureCase> cases, int version, String url, String user, String password,
            Map<String, String> disagreements, Set<String> tracedCases) throws Exception {
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
            List<Migration> all = new ArrayList<>(given);
            all.add(when);
            ClassifiedSet set = new Classifier(RuleRegistry.all(), new PgVersion(version)).classify(all, SchemaModel.offline());
            ClassifiedSet release = new ClassifiedSet(set.postgresVersion(), List.of(set.migrations().get(set.migrations().size() - 1)));
            try (ScratchDatabase scratch = ScratchDatabase.create(url, user, password)) {
                ReleaseTracer.Result r = ReleaseTracer.trace(scratch, given, release, 20);
                for (StatementResult s : r.set().migrations().get(0).statements()) {
                    if (s.traced()) traced++;
                    for (Finding f : s.classification().findings()) {
                        if (f.rule().equals(ReleaseTracer.DISAGREES)) disagreements.put(c.file() + " › " + c.name(), f.message());
                    }
                }
            }
        }
        return traced;
    }
}
