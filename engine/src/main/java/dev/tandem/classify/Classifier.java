package dev.tandem.classify;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.catalog.TableInfo;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.source.Migration;
import dev.tandem.source.Statement;
import dev.tandem.sql.Change;
import dev.tandem.sql.SqlParser;
import dev.tandem.sql.SqlSyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Classifies every statement of a migration set in order: parse, compute locks, run every rule
 * against the schema the statement will meet, apply suppressions, then replay the statement into
 * the schema model for the next one. Pure (no JDBC): the schema comes in as a {@link SchemaModel},
 * empty for offline replay or read from a live catalog.
 */
public final class Classifier {
    /** How many syntax errors one run reports before it stops listing them. */
    private static final int MAX_REPORTED_ERRORS = 20;

    private final List<Rule> rules;
    private final PgVersion version;
    private final Map<String, String> session;
    private final SqlParser parser = new SqlParser();
    private final LockAnalyzer lockAnalyzer = new LockAnalyzer();
    private final SchemaReplayer replayer = new SchemaReplayer();

    public Classifier(List<Rule> rules, PgVersion version) {
        this(rules, version, Map.of());
    }

    /**
     * @param session settings of the session the migrations will run in (lower-case name → value),
     *                when known; rules that depend on one (the TimeZone for timestamp ↔
     *                timestamptz) use it until a migration sets its own. Unknown settings are
     *                judged at their worst.
     */
    public Classifier(List<Rule> rules, PgVersion version, Map<String, String> session) {
        this.rules = List.copyOf(rules);
        this.version = version;
        this.session = Map.copyOf(session);
    }

    /**
     * @param schema the schema before the first migration; it is changed in place by the replay
     * @throws TandemException with {@link ErrorCode#SQL_SYNTAX} naming every statement (file, line,
     *                         column) that is not PostgreSQL, after reading all of them
     */
    public ClassifiedSet classify(List<Migration> migrations, SchemaModel schema) {
        // With a live catalog, "pre-existing" means: in the database now. Offline, every table not
        // created earlier in the same migration counts as existing and populated (DESIGN.md).
        Set<String> liveTables = new HashSet<>();
        if (schema.isLive()) {
            for (TableInfo t : schema.tables()) liveTables.add(t.name().display());
        }
        List<String> errors = new ArrayList<>();
        List<MigrationResult> results = new ArrayList<>(migrations.size());
        for (Migration m : migrations) {
            results.add(classify(m, schema, liveTables, errors));
        }
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(errors.size() == 1 ? "1 statement is" : errors.size() + " statements are")
                    .append(" not valid PostgreSQL; fix ").append(errors.size() == 1 ? "it" : "them")
                    .append(" and run again:");
            errors.stream().limit(MAX_REPORTED_ERRORS).forEach(e -> sb.append("\n  ").append(e));
            if (errors.size() > MAX_REPORTED_ERRORS) {
                sb.append("\n  … and ").append(errors.size() - MAX_REPORTED_ERRORS).append(" more");
            }
            throw new TandemException(ErrorCode.SQL_SYNTAX, sb.toString());
        }
        return new ClassifiedSet(version, results);
    }

    private MigrationResult classify(Migration m, SchemaModel schema, Set<String> liveTables, List<String> errors) {
        MigrationState state = new MigrationState(m.transactional(), session);
        List<StatementResult> out = new ArrayList<>(m.statements().size());
        StatementClass worst = StatementClass.COMPATIBLE;
        // Parse the whole migration first: some rules look ahead (a RENAME followed by a
        // compatibility view under the old name), and a migration with a syntax error is not
        // classified at all (the run ends with exit 2 after every error has been listed).
        List<Statement> statements = m.statements();
        List<Change> changes = new ArrayList<>(statements.size());
        boolean parsed = true;
        for (Statement s : statements) {
            try {
                changes.add(parser.parse(s.sql()));
            } catch (SqlSyntaxException e) {
                int line = s.line() + e.line() - 1;
                errors.add(m.script() + ":" + line + ":" + e.column() + ": " + e.detail());
                parsed = false;
            }
        }
        if (!parsed) return new MigrationResult(m, StatementClass.COMPATIBLE, List.of());
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            Change change = changes.get(i);
            List<TableLock> all = lockAnalyzer.locks(change, schema, version);
            List<TableLock> visible = all.stream()
                    .filter(l -> isPreExisting(l.table(), state, schema, liveTables))
                    .toList();
            RuleContext ctx = new RuleContext(change, s, m, schema, version, state, visible,
                    changes.subList(i + 1, changes.size()),
                    t -> isPreExisting(t.display(), state, schema, liveTables));
            for (Rule r : rules) {
                ctx.run(r);
            }
            Set<String> ignored = new HashSet<>(s.ignoredRules());
            ignored.addAll(m.ignoredRules());
            List<Finding> kept = new ArrayList<>();
            Set<String> suppressed = new LinkedHashSet<>();
            StatementClass cls = StatementClass.COMPATIBLE;
            for (Finding f : ctx.findings()) {
                if (ignored.contains(f.rule())) {
                    suppressed.add(f.rule());
                } else {
                    kept.add(f);
                    cls = StatementClass.max(cls, f.severity());
                }
            }
            List<String> rewrites = ctx.rewriteList().stream().filter(t -> isPreExisting(t, state, schema, liveTables)).toList();
            List<String> scans = ctx.scanList().stream().filter(t -> isPreExisting(t, state, schema, liveTables)).toList();
            out.add(new StatementResult(s, change, new Classification(cls, visible, rewrites, scans, kept, List.copyOf(suppressed))));
            worst = StatementClass.max(worst, cls);
            // Only locks on tables the application can see are worth tracking across statements
            // (rules ask which of them a transaction still holds); new tables would make it grow
            // with every CREATE TABLE of a baseline migration.
            state.after(change, visible);
            replayer.apply(change, schema);
        }
        return new MigrationResult(m, worst, out);
    }

    /** {@code table} is a resolved {@code schema.name}, as in locks, rewrites and scans. */
    private static boolean isPreExisting(String table, MigrationState state, SchemaModel schema, Set<String> liveTables) {
        if (state.createdInMigration(table)) return false;
        return !schema.isLive() || liveTables.contains(table);
    }
}
