package dev.tandem.cli;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.PgVersion;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.source.Migration;
import dev.tandem.trace.ReleaseTracer;
import dev.tandem.trace.ScratchDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code migrate plan --trace-url}: the release traced on a scratch database of the given server,
 * which is created and dropped here whatever happens in between.
 */
final class PlanTrace {
    private PlanTrace() {}

    /**
     * @param classified the release as the rules see it in a session like the trace's
     * @param traced     the same with the traced facts in place
     */
    record Traced(ClassifiedSet classified, ClassifiedSet traced) {}

    /**
     * @param classify the release classified for a session with the given settings: it is asked
     *                 with the trace session's TimeZone, so that the rules judge the statements
     *                 under the conditions PostgreSQL runs them in
     * @param modelled the tables the rules' schema model knows (the others are reported, not compared)
     */
    static Traced run(String url, int rows, List<Migration> earlier, Function<Map<String, String>, ClassifiedSet> classify,
            Set<String> modelled, PgVersion target, PrintWriter err) {
        if (rows < 0) throw new TandemException(ErrorCode.INVALID_ARGUMENT, "--trace-rows must be 0 or more, not " + rows);
        ConnectionSettings db = ConnectionSettings.resolve(url);
        long started = System.nanoTime();
        ScratchDatabase scratch;
        try {
            scratch = ScratchDatabase.create(db.jdbcUrl(), db.user(), db.password());
        } catch (SQLException e) {
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "--trace-url: cannot create a scratch database on "
                    + db.display() + ": " + firstLine(e) + " — the role needs CREATEDB (or give a server where it has it)", e);
        }
        try (scratch) {
            Map<String, String> session;
            try (Connection c = scratch.connect()) {
                DatabaseMetaData md = c.getMetaData();
                if (md.getDatabaseMajorVersion() != target.major()) {
                    err.println("migrate: note: the trace runs on PostgreSQL " + md.getDatabaseMajorVersion() + ", the plan is for "
                            + target.major() + "; locks and rewrites can differ between versions");
                }
                session = ScratchDatabase.session(c);
            }
            ClassifiedSet set = classify.apply(session);
            ReleaseTracer.Result r = ReleaseTracer.trace(scratch, earlier, set, rows, modelled);
            long statements = r.set().migrations().stream().mapToLong(m -> m.statements().size()).sum();
            err.printf(Locale.ROOT, "migrate: traced %d statement(s) on a scratch database at %s in %.1f s: %d disagree with the"
                    + " rules%s%n", statements, db.display(), (System.nanoTime() - started) / 1e9, r.disagreements(),
                    r.eventTriggers() ? "" : " (not a superuser: DDL commands not recorded, rewrites found by relfilenode)");
            err.println("migrate: note: traced and classified with the session TimeZone " + session.get("timezone") + " (the JVM's: the JDBC"
                    + " driver sends it, so migrate apply's sessions get it too; TZ or -Duser.timezone changes it)");
            for (Map.Entry<String, String> e : r.sample().skipped().entrySet()) {
                err.println("migrate: note: no sample rows in " + e.getKey() + ": " + e.getValue());
            }
            return new Traced(set, r.set());
        } catch (SQLException e) {
            throw new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "--trace-url: the trace failed on " + db.display() + ": "
                    + firstLine(e), e);
        }
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
