package dev.tandem.plan;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Classification;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.TableLock;
import dev.tandem.source.Migration;
import dev.tandem.source.Statement;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * Everything a recipe may look at for one statement.
 *
 * @param schema  the schema before this statement (read only: the planner replays the statement
 *                after the recipe has run)
 * @param release what earlier statements of the release did
 * @param sql     the statement as written, without trailing comments or semicolon (trimmed once:
 *                recipes ask for it several times)
 */
record PlanContext(
        Migration migration,
        Statement statement,
        Change change,
        Classification classification,
        SchemaModel schema,
        PgVersion version,
        ReleaseFacts release,
        String sql) {

    PlanContext(Migration migration, Statement statement, Change change, Classification classification, SchemaModel schema,
                PgVersion version, ReleaseFacts release) {
        this(migration, statement, change, classification, schema, version, release, SqlText.trimmed(statement.sql()));
    }

    String label() {
        return migration.label();
    }

    int line() {
        return statement.line();
    }

    Optional<TableInfo> table(QualifiedName name) {
        return schema.table(name);
    }

    boolean partitioned(QualifiedName table) {
        return table(table).map(TableInfo::isPartitioned).orElse(false);
    }

    /** The value of a {@code -- migrate:<name> <value>} annotation on the statement, if any. */
    Optional<String> annotation(String name) {
        for (String a : statement.annotations()) {
            String s = a.strip();
            if (s.equals(name)) return Optional.of("");
            if (s.startsWith(name + " ") || s.startsWith(name + "\t")) return Optional.of(s.substring(name.length()).strip());
        }
        return Optional.empty();
    }

    static TableLock lock(QualifiedName table, LockMode mode) {
        return new TableLock(table.display(), mode);
    }

    /** A transactional step; {@code rollback} null means there is nothing to undo. */
    SqlStep transactional(String purpose, String sql, List<TableLock> locks, String rollback) {
        return new SqlStep(label(), line(), purpose, sql, true, locks, null, null, rollback, null, false);
    }

    SqlStep step(String purpose, String sql, boolean transactional, List<TableLock> locks, String onlyIf,
                 SqlStep.Cleanup cleanup, String rollback, String irreversible) {
        return new SqlStep(label(), line(), purpose, sql, transactional, locks, onlyIf, cleanup, rollback, irreversible, false);
    }

    /** A transactional step that deletes data: contract only, irreversible for {@code why}. */
    SqlStep destructive(String purpose, String sql, List<TableLock> locks, String why) {
        return new SqlStep(label(), line(), purpose, sql, true, locks, null, null, null, why, true);
    }

    /** A batched UPDATE of {@code table} by {@code key}; {@code irreversible} null when there is nothing to undo. */
    BackfillStep backfill(String purpose, QualifiedName table, List<String> key, String set, String where, String irreversible) {
        return new BackfillStep(label(), line(), purpose, SqlText.name(table), key, BackfillStep.Operation.UPDATE, set, where,
                irreversible);
    }
}
