package dev.tandem.trace;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classification;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.StatementTrace;
import dev.tandem.classify.TableLock;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.SqlParser;
import dev.tandem.source.Migration;
import dev.tandem.source.Statement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A classified release, traced: the earlier migrations replayed on a scratch database (their
 * schema; data statements are left out, sample rows take their place), then every statement of
 * the release run and observed ({@link StatementTracer}), and the facts set beside the rules'
 * verdict. The traced facts win: a traced statement's locks, rewrites and scans are what
 * PostgreSQL did; where the rules said otherwise the statement gets a finding of its own,
 * {@value #DISAGREES}, of class review. A statement the rules could not judge (review: a DO
 * block, dynamic SQL) that PostgreSQL ran without a lock stronger than RowExclusiveLock, a
 * rewrite or a full read is compatible.
 */
public final class ReleaseTracer {
    public static final String DISAGREES = "trace-disagrees";

    private ReleaseTracer() {}

    /**
     * @param set           the release with the traced facts in place
     * @param sample        the tables given sample rows, and those left empty with why
     * @param eventTriggers whether DDL commands and table_rewrite events were recorded
     * @param disagreements statements where PostgreSQL and the rules disagree
     */
    public record Result(ClassifiedSet set, SampleRows.Result sample, boolean eventTriggers, int disagreements) {}

    public static Result trace(ScratchDatabase scratch, List<Migration> earlier, ClassifiedSet release, int sampleRows)
            throws SQLException {
        return trace(scratch, earlier, release, sampleRows, null);
    }

    /**
     * @param modelled the tables ({@code schema.name}) the rules' schema model knows, or {@code null}
     *                 for all: a table it does not know and the rules do not name (created inside a
     *                 DO block, reached through a domain) is one they could not have named, so what
     *                 PostgreSQL did to it is reported but not compared
     */
    public static Result trace(ScratchDatabase scratch, List<Migration> earlier, ClassifiedSet release, int sampleRows,
            Set<String> modelled) throws SQLException {
        SqlParser parser = new SqlParser();
        try (StatementTracer tracer = StatementTracer.open(scratch.connect())) {
            for (Migration m : earlier) {
                for (Statement s : m.statements()) {
                    if (leftOut(parser, s.sql())) continue;
                    try {
                        tracer.replay(s.sql());
                    } catch (SQLException e) {
                        throw new TandemException(ErrorCode.INVALID_ARGUMENT, m.script() + ":" + s.line() + ": replaying this "
                                + "earlier migration on the scratch database failed (" + StatementTracer.firstLine(e)
                                + "); the trace needs the earlier migrations to run on an empty database");
                    }
                }
            }
            List<MigrationResult> out = new ArrayList<>();
            List<String> filled = new ArrayList<>();
            Map<String, String> skipped = new TreeMap<>();
            int disagreements = 0;
            try (Connection sampler = scratch.connect()) {
                for (MigrationResult m : release.migrations()) {
                    // tables an earlier migration of the release created get their rows too, so that
                    // this one's validations and rewrites have rows to work on
                    SampleRows.Result sample = SampleRows.fill(sampler, sampleRows);
                    filled.addAll(sample.filled());
                    sample.filled().forEach(skipped::remove);
                    skipped.putAll(sample.skipped());
                    tracer.beginMigration();
                    Set<String> existing = tracer.existing();
                    List<StatementResult> statements = new ArrayList<>();
                    StatementClass worst = StatementClass.COMPATIBLE;
                    for (StatementResult s : m.statements()) {
                        if (s.change() instanceof Change.Transaction) {
                            // BEGIN / COMMIT / SAVEPOINT would end the traced transaction: judged by the rules alone
                            statements.add(s);
                            worst = StatementClass.max(worst, s.classification().statementClass());
                            continue;
                        }
                        TraceFacts facts = tracer.trace(s.statement().sql(), s.classification().locks(),
                                ServerWide.reason(s.change(), s.statement().sql()));
                        StatementResult traced = merge(s, facts, existing, modelled);
                        if (traced.classification().findings().stream().anyMatch(f -> f.rule().equals(DISAGREES))) disagreements++;
                        statements.add(traced);
                        worst = StatementClass.max(worst, traced.classification().statementClass());
                    }
                    out.add(new MigrationResult(m.migration(), worst, statements));
                }
            }
            return new Result(new ClassifiedSet(release.postgresVersion(), out), new SampleRows.Result(filled, skipped),
                    tracer.eventTriggers(), disagreements);
        }
    }

    /** The statement with the traced facts in place and the findings they call for. */
    static StatementResult merge(StatementResult s, TraceFacts facts, Set<String> existing) {
        return merge(s, facts, existing, null);
    }

    private static StatementResult merge(StatementResult s, TraceFacts facts, Set<String> existing, Set<String> modelled) {
        Classification rules = s.classification();
        StatementTrace trace = new StatementTrace(facts.how().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                facts.commands(), facts.error());
        if (facts.error() != null) return new StatementResult(s.statement(), s.change(), rules, trace);
        List<Finding> findings = new ArrayList<>(rules.findings());
        List<String> suppressed = new ArrayList<>(rules.suppressed());
        if (rules.statementClass() == StatementClass.REVIEW) {
            if (harmless(facts)) findings.removeIf(f -> f.severity() == StatementClass.REVIEW);
        } else {
            List<String> differences = TraceComparison.differences(rules, facts, existing, modelled);
            if (!differences.isEmpty()) {
                if (s.statement().ignoredRules().contains(DISAGREES)) {
                    suppressed.add(DISAGREES);
                } else {
                    findings.add(new Finding(DISAGREES, StatementClass.REVIEW, "PostgreSQL did not do what the rules say: "
                            + String.join("; ", differences) + ".", "Check the statement against what PostgreSQL did (the "
                            + "traced locks, rewrites and full reads are in the report), then mark it reviewed with "
                            + "-- migrate:ignore " + DISAGREES + ", and report the rule if it is wrong."));
                }
            }
        }
        StatementClass cls = findings.stream().map(Finding::severity).reduce(StatementClass.COMPATIBLE, StatementClass::max);
        List<TableLock> locks = facts.how() == TraceFacts.How.ROLLED_BACK ? facts.locks() : rules.locks();
        return new StatementResult(s.statement(), s.change(), new Classification(cls, locks, facts.rewrites(), facts.scans(),
                findings, suppressed), trace);
    }

    /** Nothing the application would feel: no rewrite, no full read, no lock above RowExclusiveLock. */
    private static boolean harmless(TraceFacts facts) {
        return facts.rewrites().isEmpty() && facts.scans().isEmpty()
                && facts.locks().stream().allMatch(l -> l.mode().compareTo(LockMode.ROW_EXCLUSIVE) <= 0);
    }

    /**
     * An earlier migration's statement that is not replayed: data (sample rows take its place), and
     * what would act past the scratch database ({@link ServerWide}: a role, a database, a
     * tablespace, ALTER SYSTEM).
     */
    private static boolean leftOut(SqlParser parser, String sql) {
        Change c;
        try {
            c = parser.parse(sql);
        } catch (RuntimeException e) {
            return false; // not understood: replayed as written
        }
        return c instanceof Change.Update || c instanceof Change.Delete || c instanceof Change.Insert || c instanceof Change.Merge
                || c instanceof Change.Copy || ServerWide.reason(c, sql) != null;
    }
}
