package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * ALTER TABLE parent DETACH PARTITION p takes AccessExclusiveLock on the parent and on p (PG15):
 * catalog work only, but the lock queues behind every running query on the partitioned table and
 * blocks all of them meanwhile. PostgreSQL 14 added DETACH … CONCURRENTLY (ShareUpdateExclusiveLock
 * on the parent, two transactions, not inside a transaction block, not while the parent has a
 * DEFAULT partition — PG15: "cannot detach partitions concurrently when a default partition
 * exists"; an interrupted one is finished with DETACH … FINALIZE): online-rewrite on 14+. On 12 and
 * 13 there is no online form; the finding is advice and Tandem keeps the lock short with
 * lock_timeout and retries. A parent created earlier in the same migration is exempt.
 */
public final class DetachPartitionNonConcurrentRule implements Rule {
    public static final String ID = "detach-partition-non-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "DETACH PARTITION without CONCURRENTLY takes AccessExclusiveLock on the partitioned table";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at) || !ctx.isPreExisting(at.table())) return;
        for (AlterAction a : at.actions()) {
            if (!(a instanceof AlterAction.DetachPartition d) || d.concurrently() || d.finalizeDetach()) continue;
            String parent = ctx.describe(at.table());
            String msg = "DETACH PARTITION " + d.partition().display() + " takes AccessExclusiveLock on " + parent + " and on"
                    + " the partition: it waits for every running query on " + parent + ", and every read and write that"
                    + " arrives meanwhile waits behind it.";
            if (ctx.version().atLeast(14)) {
                ctx.report(StatementClass.ONLINE_REWRITE, msg,
                        "Detach online (PostgreSQL 14+), outside a transaction block (Tandem runs it as its own"
                                + " non-transactional step): ALTER TABLE " + at.table() + " DETACH PARTITION " + d.partition()
                                + " CONCURRENTLY; It takes ShareUpdateExclusiveLock on the parent and waits for running queries"
                                + " instead of blocking new ones. It is refused while the parent has a DEFAULT partition; if it is"
                                + " interrupted, finish it with ALTER TABLE " + at.table() + " DETACH PARTITION " + d.partition()
                                + " FINALIZE;");
            } else {
                ctx.report(StatementClass.COMPATIBLE,
                        msg + " PostgreSQL " + ctx.version() + " has no DETACH … CONCURRENTLY (it arrived in 14).",
                        "Keep it in a short transaction of its own: Tandem runs it with lock_timeout and retries, so a long"
                                + " query on the table delays the detach instead of the traffic. On PostgreSQL 14+ use"
                                + " DETACH PARTITION … CONCURRENTLY.");
            }
        }
    }
}
