package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * ALTER TABLE … SET ACCESS METHOD (PostgreSQL 15+; a syntax error before) rewrites the table with
 * the new table access method under AccessExclusiveLock. No online form: blocking. Setting the
 * method the table already has takes the lock and copies nothing (PG15), and is not flagged
 * ({@link StorageMoves}).
 */
public final class SetAccessMethodRule implements Rule {
    public static final String ID = "set-access-method";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "SET ACCESS METHOD rewrites the whole table under AccessExclusiveLock (PostgreSQL 15+)";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at) || !ctx.isPreExisting(at.table())) return;
        for (AlterAction a : at.actions()) {
            if (!(a instanceof AlterAction.SetAccessMethod m) || !StorageMoves.rewrites(ctx.table(at.table()), m)) continue;
            ctx.rewrites(at.table());
            String version = ctx.version().atLeast(15) ? ""
                    : " (and PostgreSQL " + ctx.version() + " does not have SET ACCESS METHOD at all: it arrived in 15)";
            ctx.report(StatementClass.BLOCKING,
                    "SET ACCESS METHOD " + m.method() + " rewrites " + ctx.describe(at.table()) + " under AccessExclusiveLock:"
                            + " every read and write of it waits for the whole rewrite" + version + ".",
                    "There is no online form: create a new table USING " + m.method() + ", copy the rows in batches while a"
                            + " trigger copies new writes, and swap the names in one short transaction; or use a maintenance window.");
            return;
        }
    }
}
