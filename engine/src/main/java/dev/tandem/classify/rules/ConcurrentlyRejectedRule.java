package dev.tandem.classify.rules;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * CONCURRENTLY forms PostgreSQL rejects wherever they run, so the migration fails (PG15 messages):
 * DROP INDEX CONCURRENTLY of several indexes ("DROP INDEX CONCURRENTLY does not support dropping
 * multiple objects"), with CASCADE ("… does not support CASCADE"), or of an index of a partitioned
 * table ("cannot drop partitioned index … concurrently"); and DETACH PARTITION … CONCURRENTLY before
 * PostgreSQL 14, which has no such syntax. (Inside a transaction block is
 * {@link ConcurrentlyInTransactionRule}'s, CREATE INDEX CONCURRENTLY on a partitioned table
 * {@link CreateIndexOnPartitionedTableRule}'s.) Review: the statement cannot run as written, and the
 * replacement is for a person to choose.
 */
public final class ConcurrentlyRejectedRule implements Rule {
    public static final String ID = "concurrently-rejected";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "A CONCURRENTLY form PostgreSQL rejects outright: several indexes, CASCADE, partitioned, or too old a version";
    }

    @Override
    public void check(RuleContext ctx) {
        switch (ctx.change()) {
            case Change.DropIndex di when di.concurrently() -> dropIndex(ctx, di);
            case Change.AlterTable at when !ctx.version().atLeast(14) -> {
                for (AlterAction a : at.actions()) {
                    if (!(a instanceof AlterAction.DetachPartition d) || !(d.concurrently() || d.finalizeDetach())) continue;
                    ctx.report(StatementClass.REVIEW,
                            "DETACH PARTITION … " + (d.concurrently() ? "CONCURRENTLY" : "FINALIZE") + " does not exist on"
                                    + " PostgreSQL " + ctx.version() + " (it arrived in 14): the statement fails with a"
                                    + " syntax error.",
                            "On PostgreSQL " + ctx.version() + " detach without it, ALTER TABLE " + at.table()
                                    + " DETACH PARTITION " + d.partition() + "; in a short transaction of its own (Tandem runs"
                                    + " it with lock_timeout and retries), or upgrade to 14+ first.");
                    return;
                }
            }
            default -> { }
        }
    }

    private static void dropIndex(RuleContext ctx, Change.DropIndex di) {
        String exists = di.ifExists() ? "IF EXISTS " : "";
        if (di.indexes().size() > 1 || di.cascade()) {
            StringBuilder each = new StringBuilder();
            for (QualifiedName index : di.indexes()) {
                each.append("DROP INDEX CONCURRENTLY ").append(exists).append(index).append("; ");
            }
            String why = di.indexes().size() > 1 ? "does not support dropping multiple objects" : "does not support CASCADE";
            ctx.report(StatementClass.REVIEW,
                    "PostgreSQL rejects this statement (\"DROP INDEX CONCURRENTLY " + why + "\") and the migration fails.",
                    "Drop one index per statement" + (di.cascade() ? ", without CASCADE (first drop or change what depends on"
                            + " the index, e.g. a foreign key that relies on a unique index)" : "") + ": " + each.toString().strip());
            return;
        }
        List<String> partitioned = new ArrayList<>();
        for (QualifiedName index : di.indexes()) {
            QualifiedName table = ctx.schema().index(index).map(IndexInfo::table).orElse(null);
            if (table != null && ctx.table(table).map(TableInfo::isPartitioned).orElse(false)) {
                partitioned.add(index.display());
            }
        }
        if (partitioned.isEmpty()) return;
        ctx.report(StatementClass.REVIEW,
                "PostgreSQL rejects DROP INDEX CONCURRENTLY of " + String.join(", ", partitioned) + ", an index of a"
                        + " partitioned table (\"cannot drop partitioned index … concurrently\"), and the migration fails.",
                "Drop it without CONCURRENTLY, DROP INDEX " + exists + di.indexes().get(0) + "; in a short transaction of its"
                        + " own: it takes AccessExclusiveLock on the partitioned table and every partition, and Tandem runs it"
                        + " with lock_timeout and retries.");
    }
}
