package dev.tandem.classify.rules;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DROP INDEX without CONCURRENTLY takes AccessExclusiveLock on the index's table (PG15): short, but
 * the request queues behind every running query on the table and every query queues behind it.
 * DROP INDEX CONCURRENTLY takes ShareUpdateExclusiveLock and waits for running queries instead;
 * it drops one index per statement, without CASCADE, outside a transaction block, and not for
 * indexes of partitioned tables ("cannot drop partitioned index … concurrently", PG15). For a
 * partitioned index there is no online form, so the finding is advice (Tandem still runs it with
 * lock_timeout and retries). An index backing a constraint cannot be dropped at all (PostgreSQL
 * says "constraint … requires it"), so it is left to the error.
 */
public final class DropIndexNonConcurrentRule implements Rule {
    public static final String ID = "drop-index-non-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "DROP INDEX without CONCURRENTLY takes AccessExclusiveLock on the table";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DropIndex di) || di.concurrently()) return;
        List<String> plain = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        List<String> partitioned = new ArrayList<>();
        for (QualifiedName index : di.indexes()) {
            Optional<IndexInfo> info = ctx.schema().index(index);
            if (info.isPresent()) {
                QualifiedName table = info.get().table();
                if (!ctx.isPreExisting(table)) continue;
                if (ctx.table(table).map(TableInfo::isPartitioned).orElse(false)) {
                    partitioned.add(index.display() + " (on " + table.display() + ")");
                    continue;
                }
                if (!tables.contains(ctx.describe(table))) tables.add(ctx.describe(table));
            }
            plain.add(index.toString());
        }
        if (!plain.isEmpty()) {
            String on = tables.isEmpty() ? "the table of " + String.join(", ", plain) : String.join(", ", tables);
            StringBuilder fix = new StringBuilder("Drop ").append(plain.size() == 1 ? "it" : "each index").append(
                    " online, outside a transaction block (Tandem runs it as its own non-transactional step): ");
            for (String name : plain) {
                fix.append("DROP INDEX CONCURRENTLY ").append(di.ifExists() ? "IF EXISTS " : "").append(name).append("; ");
            }
            fix.append("CONCURRENTLY takes ShareUpdateExclusiveLock and waits for running queries instead of blocking new"
                    + " ones; it drops one index per statement and has no CASCADE.");
            ctx.report(StatementClass.ONLINE_REWRITE,
                    "DROP INDEX without CONCURRENTLY takes AccessExclusiveLock on " + on + ": it waits for every running"
                            + " query on the table, and every read and write that arrives meanwhile waits behind it.",
                    fix.toString().strip());
        }
        if (!partitioned.isEmpty()) {
            ctx.report(StatementClass.COMPATIBLE,
                    "DROP INDEX " + String.join(", ", partitioned) + " takes AccessExclusiveLock on the partitioned table"
                            + " and every partition; PostgreSQL cannot drop a partitioned index CONCURRENTLY.",
                    "Keep it in a short transaction of its own: Tandem runs it with lock_timeout and retries, so a long"
                            + " query on the table delays the drop instead of the traffic.");
        }
    }
}
