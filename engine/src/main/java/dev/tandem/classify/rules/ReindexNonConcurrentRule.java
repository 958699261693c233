package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.Locale;

/**
 * REINDEX without CONCURRENTLY takes ShareLock on the table (writes wait) and AccessExclusiveLock on
 * every index it rebuilds (PG15), and the planner locks all indexes of a table to plan a query on
 * it, so in practice reads wait too. REINDEX … CONCURRENTLY exists since PostgreSQL 12 (Tandem's
 * minimum), takes ShareUpdateExclusiveLock and cannot run inside a transaction block. REINDEX
 * SYSTEM is left alone: system catalogs cannot be reindexed concurrently.
 */
public final class ReindexNonConcurrentRule implements Rule {
    public static final String ID = "reindex-non-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "REINDEX without CONCURRENTLY blocks writes, and reads that use the indexes, until it finishes";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Reindex r) || r.concurrently() || r.kind() == null) return;
        if (r.name() == null && !r.kind().equals("database")) return;
        String target;
        switch (r.kind()) {
            case "index" -> {
                QualifiedName table = ctx.schema().index(r.name()).map(i -> i.table()).orElse(null);
                if (table != null && !ctx.isPreExisting(table)) return;
                if (table != null) ctx.scans(table);
                target = "the index " + r.name().display() + " of "
                        + (table != null ? ctx.describe(table) : "its table");
            }
            case "table" -> {
                if (!ctx.isPreExisting(r.name())) return;
                ctx.scans(r.name());
                target = "every index of " + ctx.describe(r.name());
            }
            case "schema" -> target = "every index in schema " + r.name().name();
            case "database" -> target = "every index in the database";
            default -> {
                return;
            }
        }
        String kind = r.kind().toUpperCase(Locale.ROOT);
        String tableLock = r.kind().equals("schema") || r.kind().equals("database")
                ? "holding ShareLock on each table in turn" : "holding ShareLock on the table";
        String name = r.name() == null ? "" : " " + r.name();
        ctx.report(StatementClass.ONLINE_REWRITE,
                "REINDEX without CONCURRENTLY rebuilds " + target + " " + tableLock + " (INSERT, UPDATE and"
                        + " DELETE wait) and AccessExclusiveLock on each index being rebuilt (queries that plan with it, in"
                        + " practice every query on that table, wait) until the rebuild ends.",
                "Rebuild online (PostgreSQL 12+), outside a transaction block (Tandem runs it as its own"
                        + " non-transactional step): REINDEX " + kind + " CONCURRENTLY" + name + "; It builds a new copy next"
                        + " to the old one under ShareUpdateExclusiveLock and swaps them; if it fails, drop the INVALID"
                        + " *_ccnew index it leaves and retry.");
    }
}
