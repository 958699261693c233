package dev.tandem.classify;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.TableInfo;
import dev.tandem.source.Migration;
import dev.tandem.source.Statement;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Everything a {@link Rule} may look at for one statement, and where it reports. Created by the
 * {@link Classifier} per statement; the schema is the one the statement will meet (before it runs).
 */
public final class RuleContext {
    private final Change change;
    private final Statement statement;
    private final Migration migration;
    private final SchemaModel schema;
    private final PgVersion version;
    private final MigrationState state;
    private final List<TableLock> locks;
    private final List<Change> later;
    private final Predicate<QualifiedName> preExisting;

    private final List<Finding> findings = new ArrayList<>();
    private final Set<String> rewrites = new LinkedHashSet<>();
    private final Set<String> scans = new LinkedHashSet<>();
    private Rule current;

    RuleContext(Change change, Statement statement, Migration migration, SchemaModel schema, PgVersion version,
                MigrationState state, List<TableLock> locks, List<Change> later, Predicate<QualifiedName> preExisting) {
        this.change = change;
        this.statement = statement;
        this.migration = migration;
        this.schema = schema;
        this.version = version;
        this.state = state;
        this.locks = List.copyOf(locks);
        this.later = List.copyOf(later);
        this.preExisting = preExisting;
    }

    public Change change() {
        return change;
    }

    public Statement statement() {
        return statement;
    }

    public Migration migration() {
        return migration;
    }

    /** The schema before this statement. Offline it is partial: a missing table still exists. */
    public SchemaModel schema() {
        return schema;
    }

    public PgVersion version() {
        return version;
    }

    public MigrationState state() {
        return state;
    }

    /** Locks this statement takes on pre-existing tables (already computed by {@code LockAnalyzer}). */
    public List<TableLock> locks() {
        return locks;
    }

    /**
     * The statements after this one in the same migration, parsed, in order: for the few rules
     * whose verdict depends on what comes next. Empty for the last statement.
     */
    public List<Change> laterChanges() {
        return later;
    }

    public Optional<TableInfo> table(QualifiedName name) {
        return schema.table(name);
    }

    /**
     * Whether the application can see {@code table}, so that locks, rewrites and scans on it matter:
     * true unless an earlier statement of this migration created it. Offline, a table the model does
     * not know counts as existing and populated; with a live catalog, only tables in the database are.
     */
    public boolean isPreExisting(QualifiedName table) {
        return preExisting.test(table);
    }

    /** Reports a finding of the rule being run. */
    public void report(StatementClass severity, String message, String fix) {
        if (current == null) throw new IllegalStateException("report() outside Rule.check()");
        findings.add(new Finding(current.id(), severity, message, fix));
    }

    /** Records that this statement rewrites {@code table}; ignored for tables new in this migration. */
    public void rewrites(QualifiedName table) {
        if (isPreExisting(table)) rewrites.add(table.display());
    }

    /** Records that this statement reads {@code table} in full; ignored for new tables. */
    public void scans(QualifiedName table) {
        if (isPreExisting(table)) scans.add(table.display());
    }

    /**
     * {@code public.users}, with its size when the live catalog knows it:
     * {@code public.users (~1.2M rows, 340 MB)}. For messages.
     */
    public String describe(QualifiedName table) {
        String name = table.display();
        Optional<TableInfo> t = schema.table(table);
        if (t.isEmpty() || t.get().estimatedRows().isEmpty()) return name;
        long rows = Math.max(0, t.get().estimatedRows().get());
        String size = t.get().totalBytes().map(RuleContext::bytes).orElse(null);
        return name + " (~" + count(rows) + " rows" + (size != null ? ", " + size : "") + ")";
    }

    private static String count(long n) {
        if (n >= 1_000_000_000L) return String.format(java.util.Locale.ROOT, "%.1fG", n / 1e9);
        if (n >= 1_000_000L) return String.format(java.util.Locale.ROOT, "%.1fM", n / 1e6);
        if (n >= 1_000L) return String.format(java.util.Locale.ROOT, "%.1fk", n / 1e3);
        return Long.toString(n);
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format(java.util.Locale.ROOT, "%.0f MB", b / (double) (1L << 20));
        if (b >= 1L << 10) return String.format(java.util.Locale.ROOT, "%.0f kB", b / (double) (1L << 10));
        return b + " bytes";
    }

    void run(Rule rule) {
        current = rule;
        try {
            rule.check(this);
        } finally {
            current = null;
        }
    }

    List<Finding> findings() {
        return findings;
    }

    List<String> rewriteList() {
        return List.copyOf(rewrites);
    }

    List<String> scanList() {
        return List.copyOf(scans);
    }
}
