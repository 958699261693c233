package dev.tandem.plan;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.classify.TableLock;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Index builds, drops and rebuilds without blocking writes: {@code CONCURRENTLY}, which takes only
 * ShareUpdateExclusiveLock (reads and writes go on) but cannot run inside a transaction block, so
 * every step here is non-transactional and written to be repeated safely.
 *
 * <ul>
 *   <li>CREATE [UNIQUE] INDEX → {@code CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name …}
 *       (expand), with a cleanup that drops an INVALID index of that name first: a concurrent
 *       build that fails (a duplicate, a deadlock, {@code lock_timeout}) leaves one behind, and
 *       {@code IF NOT EXISTS} would then skip the rebuild. {@code DROP INDEX CONCURRENTLY} cannot
 *       run in a DO block, hence a guard query plus the drop instead of one conditional statement.</li>
 *   <li>DROP INDEX → {@code DROP INDEX CONCURRENTLY IF EXISTS}, one step per index, in contract:
 *       the old app version may still depend on the index's speed, and before the gate the
 *       release rolls back without rebuilding it.</li>
 *   <li>REINDEX → {@code REINDEX … CONCURRENTLY} (PostgreSQL 12+), expand.</li>
 * </ul>
 */
final class IndexRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "create-index-non-concurrent", "drop-index-non-concurrent", "reindex-non-concurrent");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome create(PlanContext ctx, Change.CreateIndex ci) {
        QualifiedName table = ci.table();
        if (ctx.partitioned(table)) {
            return Outcome.notYet("PostgreSQL cannot build an index CONCURRENTLY on the partitioned table " + table.display() + ".",
                    "Create the index ON ONLY " + table + " (catalog only, INVALID), build the matching index CONCURRENTLY on each"
                            + " partition and ALTER INDEX … ATTACH PARTITION each of them; the parent index becomes valid with the last"
                            + " one. Tandem has no recipe for this yet.");
        }
        Optional<String> name = ObjectNames.createdIndex(ctx.schema(), ci);
        if (name.isEmpty()) {
            return Outcome.precondition("Tandem cannot tell which name PostgreSQL will give this index, and a concurrent build"
                    + " that can be retried needs one.", "Name the index in the migration.");
        }
        String sql = concurrentCreate(ctx.sql(), ci.unique(), name.get());
        if (sql == null) return unrecognised("CREATE INDEX");
        QualifiedName index = indexName(table, name.get());
        if (!ci.ifNotExists() && exists(ctx, index)) return alreadyExists(index);
        return Outcome.steps().expand(build(ctx, sql, index, table)).build();
    }

    /** The concurrent build of {@code index}: cleanup of an INVALID leftover, skipped when the index already exists. */
    static SqlStep build(PlanContext ctx, String createSql, QualifiedName index, QualifiedName table) {
        return ctx.step("Build index " + index.name() + " on " + table.display() + " without blocking writes"
                        + " (CONCURRENTLY: ShareUpdateExclusiveLock, two table scans; reads and writes go on).",
                createSql, false, List.of(PlanContext.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE)),
                absent(index), dropInvalid(index), dropConcurrently(index), null);
    }

    Outcome drop(PlanContext ctx, Change.DropIndex di) {
        if (di.cascade()) {
            return Outcome.notYet("DROP INDEX … CASCADE also drops what depends on the index, and DROP INDEX CONCURRENTLY"
                    + " has no CASCADE.", "Drop the dependent objects (constraints) explicitly first, then the index on its own.");
        }
        Outcome.Builder out = Outcome.steps();
        for (QualifiedName index : di.indexes()) {
            Optional<IndexInfo> info = ctx.schema().index(index);
            QualifiedName table = info.map(IndexInfo::table).orElse(null);
            Optional<String> definition = ctx.release().indexDefinition(index);
            if (table != null && ctx.partitioned(table)) {
                // PostgreSQL cannot drop a partitioned index concurrently: a short transaction of its own
                // (AccessExclusiveLock on the parent and every partition, no scan).
                String rollback = definition.filter(d -> !concurrentlyWritten(d)).orElse(null);
                out.contract(ctx.step("Drop the partitioned index " + index.display() + " after the deploy, in a short"
                                + " transaction of its own (PostgreSQL cannot drop a partitioned index CONCURRENTLY).",
                        "DROP INDEX IF EXISTS " + SqlText.name(index), true,
                        List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)), null, null, rollback,
                        rollback != null ? null : notRecreatable(index)));
                continue;
            }
            String rollback = definition.map(d -> concurrentCreate(d, createsUnique(d), index.name())).orElse(null);
            List<TableLock> locks = table == null ? List.of() : List.of(PlanContext.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE));
            out.contract(ctx.step("Drop index " + index.display() + " after the deploy, without blocking"
                            + " (CONCURRENTLY: ShareUpdateExclusiveLock; waits for running queries instead of blocking new ones).",
                    dropConcurrently(index), false, locks, null, null, rollback,
                    rollback != null ? null : notRecreatable(index)));
        }
        return out.build();
    }

    Outcome reindex(PlanContext ctx, Change.Reindex r) {
        if (r.kind() == null || r.kind().equals("system")) {
            return Outcome.notYet("REINDEX SYSTEM has no CONCURRENTLY form.", "Rebuild system catalogs in a maintenance window.");
        }
        String sql = concurrentReindex(ctx.sql());
        if (sql == null) return unrecognised("REINDEX");
        List<TableLock> locks = new ArrayList<>();
        SqlStep.Cleanup cleanup = null;
        switch (r.kind()) {
            case "table" -> locks.add(PlanContext.lock(r.name(), LockMode.SHARE_UPDATE_EXCLUSIVE));
            case "index" -> {
                ctx.schema().index(r.name()).ifPresent(i -> locks.add(PlanContext.lock(i.table(), LockMode.SHARE_UPDATE_EXCLUSIVE)));
                // A failed REINDEX CONCURRENTLY leaves the new copy behind, INVALID, as <index>_ccnew.
                QualifiedName leftover = new QualifiedName(r.name().schema(), ObjectNames.of(r.name().name(), null, "ccnew"));
                cleanup = dropInvalid(leftover);
            }
            default -> { }
        }
        String target = r.name() == null ? "the database" : r.name().display();
        return Outcome.steps().expand(ctx.step("Rebuild the indexes of " + target + " next to the old ones and swap them"
                        + " (CONCURRENTLY: ShareUpdateExclusiveLock; reads and writes go on).",
                sql, false, locks, null, cleanup, null, null)).build();
    }

    // ------------------------------------------------------------------ SQL

    /** The index lives in its table's schema: qualify it the way the table was. */
    static QualifiedName indexName(QualifiedName table, String name) {
        return new QualifiedName(table.schema(), name);
    }

    static String dropConcurrently(QualifiedName index) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + SqlText.name(index);
    }

    /** Skips the step when a relation of that name exists already (then it is not this release's to drop on rollback). */
    static String absent(QualifiedName index) {
        return "SELECT 1 WHERE " + SqlText.regclass(index) + " IS NULL";
    }

    static SqlStep.Cleanup dropInvalid(QualifiedName index) {
        return new SqlStep.Cleanup(
                "SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = " + SqlText.regclass(index) + " AND NOT indisvalid",
                dropConcurrently(index));
    }

    /**
     * {@code CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name ON …} from a CREATE INDEX as
     * written: everything from {@code ON} on (ONLY, USING, elements with opclasses, INCLUDE, WITH,
     * TABLESPACE, WHERE) is kept exactly. Null when the statement is not of that form.
     */
    static String concurrentCreate(String createIndexSql, boolean unique, String name) {
        String sql = SqlText.trimmed(createIndexSql);
        List<Token> t = SqlText.tokens(sql);
        if (!SqlText.at(t, 0, "create")) return null;
        int on = SqlText.find(t, 1, "on");
        if (on < 0) return null;
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + SqlText.ident(name) + " "
                + sql.substring(t.get(on).start());
    }

    private static boolean createsUnique(String createIndexSql) {
        return SqlText.at(SqlText.tokens(createIndexSql), 1, "unique");
    }

    private static boolean concurrentlyWritten(String createIndexSql) {
        List<Token> t = SqlText.tokens(createIndexSql);
        int on = SqlText.find(t, 1, "on");
        for (int i = 1; i < (on < 0 ? t.size() : on); i++) {
            if (t.get(i).isKeyword("concurrently")) return true;
        }
        return false;
    }

    /** {@code REINDEX [(options)] KIND CONCURRENTLY name}: CONCURRENTLY inserted after the kind. */
    static String concurrentReindex(String reindexSql) {
        String sql = SqlText.trimmed(reindexSql);
        List<Token> t = SqlText.tokens(sql);
        if (!SqlText.at(t, 0, "reindex")) return null;
        int i = 1;
        if (i < t.size() && t.get(i).kind() == Token.Kind.LPAREN) i = SqlText.closing(t, i) + 1;
        if (i <= 0 || i >= t.size()) return null;
        Token kind = t.get(i);
        if (!(kind.isKeyword("index") || kind.isKeyword("table") || kind.isKeyword("schema") || kind.isKeyword("database"))) {
            return null;
        }
        if (SqlText.at(t, i + 1, "concurrently")) return sql;
        return sql.substring(0, kind.end()) + " CONCURRENTLY" + sql.substring(kind.end());
    }

    private static String notRecreatable(QualifiedName index) {
        return "the definition of " + index.display() + " is not known to the plan (it was created before this release);"
                + " to undo the drop, re-create it from its original CREATE INDEX";
    }

    /** Whether the schema knows a relation of that name (then the statement as written would fail). */
    static boolean exists(PlanContext ctx, QualifiedName relation) {
        return ctx.schema().index(relation).isPresent() || ctx.schema().table(relation).isPresent();
    }

    static Outcome.NotPlanned alreadyExists(QualifiedName relation) {
        return Outcome.precondition("A relation named " + relation.display() + " already exists: the statement as written would"
                + " fail, and the online form would skip the build instead.", "Choose another name, or drop the existing one first.");
    }

    static Outcome.NotPlanned unrecognised(String what) {
        return Outcome.notYet("Tandem could not rewrite this " + what + " statement into its online form.",
                "Write the online form in the migration yourself.");
    }
}
