package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * DELETE without WHERE removes every row of a pre-existing table in one transaction: every row stays
 * locked until commit (app updates of them wait), WAL and dead tuples for the whole table, and the
 * running app version sees the rows vanish at commit. The intent is kept — the rows are meant to go —
 * so it is online-rewrite: Tandem deletes in batches. (TRUNCATE is instant but takes
 * AccessExclusiveLock and is judged by {@link TruncateTableRule}.)
 */
public final class DeleteWithoutWhereRule implements Rule {
    public static final String ID = "delete-without-where";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "DELETE without WHERE removes every row in one long transaction";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Delete d) || d.where() != null || d.using() != null) return;
        if (!ctx.isPreExisting(d.table())) return;
        ctx.scans(d.table());
        String table = ctx.describe(d.table());
        ctx.report(StatementClass.ONLINE_REWRITE,
                "DELETE without WHERE removes every row of " + table + " in one transaction: each row stays locked until"
                        + " commit (app updates of them wait), WAL and dead rows for the whole table, and the data is gone for"
                        + " the running app version too.",
                "Tandem deletes in batches along the primary key, one short transaction each with its checkpoint,"
                        + " throttled and resumable: DELETE FROM " + d.table() + " WHERE <key> > :last AND <key> <= :batch_end."
                        + " Do it only once no app version needs the rows.");
    }
}
