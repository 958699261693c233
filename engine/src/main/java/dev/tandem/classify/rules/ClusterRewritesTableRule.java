package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * CLUSTER rewrites the table in index order under AccessExclusiveLock on the table and its indexes
 * (PG15: {@code relfilenode} changes). Without a table it re-clusters every table that was clustered
 * before and cannot run inside a transaction block (PG15: "CLUSTER cannot run inside a transaction
 * block"). No online form in core PostgreSQL: blocking. Tables created earlier in the migration are
 * exempt. (ALTER TABLE … CLUSTER ON only marks the index and is not this rule's.)
 */
public final class ClusterRewritesTableRule implements Rule {
    public static final String ID = "cluster-rewrites-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CLUSTER rewrites the table under AccessExclusiveLock";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Cluster c)) return;
        String target;
        if (c.table() == null) {
            target = "every table that was clustered before, one after the other, under AccessExclusiveLock (and it cannot"
                    + " run inside a transaction block)";
        } else {
            if (!ctx.isPreExisting(c.table())) return;
            ctx.rewrites(c.table());
            target = ctx.describe(c.table()) + (c.index() != null ? " in the order of " + c.index() : "")
                    + " under AccessExclusiveLock";
        }
        ctx.report(StatementClass.BLOCKING,
                "CLUSTER rewrites " + target + ": every read and write of the table waits for the whole rewrite.",
                "Use pg_repack --order-by (or -i/--index), an extension that rewrites in index order online; the order"
                        + " fades as rows change anyway, so consider whether it is needed at all.");
    }
}
