package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * CREATE INDEX without CONCURRENTLY holds ShareLock on the table for the whole build (a full scan
 * and sort): reads go on, INSERT/UPDATE/DELETE wait (PG15: {@code pg_locks} shows ShareLock on the
 * table). CONCURRENTLY takes ShareUpdateExclusiveLock instead, which blocks no DML. Tables created
 * earlier in the same migration are empty and invisible to the app, so they are exempt. Partitioned
 * parents are {@link CreateIndexOnPartitionedTableRule}'s: CONCURRENTLY does not work there.
 */
public final class CreateIndexNonConcurrentRule implements Rule {
    public static final String ID = "create-index-non-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateIndex ci) || ci.concurrently()) return;
        if (!ctx.isPreExisting(ci.table())) return;
        if (ctx.table(ci.table()).map(TableInfo::isPartitioned).orElse(false)) return;
        ctx.scans(ci.table());
        String table = ctx.describe(ci.table());
        String kind = ci.unique() ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
        String fix = "Build it online, outside a transaction block (Tandem runs it as its own non-transactional step): "
                + IndexSql.withConcurrently(ctx.statement().sql())
                + " CONCURRENTLY takes ShareUpdateExclusiveLock, so reads and writes continue; it scans the table twice"
                + " and waits for transactions that started before it. If it fails it leaves an INVALID index behind:"
                + " DROP INDEX CONCURRENTLY it and run it again.";
        if (ci.unique()) {
            fix += " A unique build fails on duplicate keys, so look for them first.";
        }
        ctx.report(StatementClass.ONLINE_REWRITE,
                kind + " without CONCURRENTLY holds ShareLock on " + table + " for the whole build (a full scan"
                        + " and sort): every INSERT, UPDATE and DELETE on it waits until the index is built; reads continue.",
                fix);
    }
}
