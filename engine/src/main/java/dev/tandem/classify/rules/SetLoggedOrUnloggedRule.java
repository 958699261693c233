package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * ALTER TABLE … SET LOGGED / SET UNLOGGED rewrites the whole table into a new file under
 * AccessExclusiveLock (PG15: {@code relfilenode} changes, ShareLock + AccessExclusiveLock held);
 * SET LOGGED also writes all of it to WAL. No online form exists: blocking. Tables created earlier in
 * the same migration are exempt. On a partitioned table it changes nothing (PG15: neither the parent's
 * nor the partitions' relpersistence changes), which is said as advice.
 */
public final class SetLoggedOrUnloggedRule implements Rule {
    public static final String ID = "set-logged-or-unlogged";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "SET LOGGED / SET UNLOGGED rewrites the whole table under AccessExclusiveLock";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at) || !ctx.isPreExisting(at.table())) return;
        for (AlterAction a : at.actions()) {
            boolean logged = a instanceof AlterAction.SetLogged;
            if (!logged && !(a instanceof AlterAction.SetUnlogged)) continue;
            String table = ctx.describe(at.table());
            if (ctx.table(at.table()).map(TableInfo::isPartitioned).orElse(false)) {
                // PG15: relpersistence of the parent and its partitions stays as it was; nothing is rewritten.
                ctx.report(StatementClass.COMPATIBLE,
                        (logged ? "SET LOGGED" : "SET UNLOGGED") + " on the partitioned table " + table + " changes"
                                + " nothing: it has no storage of its own, and its partitions stay as they are.",
                        "Drop it, or run it on each partition if that is the intent; each of those rewrites its partition"
                                + " under AccessExclusiveLock.");
                return;
            }
            ctx.rewrites(at.table());
            String extra = logged
                    ? " SET LOGGED also writes the whole table to WAL, which replicas must replay."
                    : " Afterwards the table is emptied after a crash and no longer reaches replicas.";
            ctx.report(StatementClass.BLOCKING,
                    (logged ? "SET LOGGED" : "SET UNLOGGED") + " rewrites " + table + " into a new file under"
                            + " AccessExclusiveLock: every read and write of it waits for the whole copy." + extra,
                    "There is no online form. Either run it in a maintenance window, or create a new "
                            + (logged ? "" : "UNLOGGED ") + "table, copy the rows in batches while a trigger copies new"
                            + " writes, and swap the names in one short transaction (ALTER TABLE … RENAME).");
            return;
        }
    }
}
