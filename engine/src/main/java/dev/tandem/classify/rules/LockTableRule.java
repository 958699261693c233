package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * An explicit LOCK TABLE in SHARE mode or stronger (SHARE, SHARE ROW EXCLUSIVE, EXCLUSIVE, ACCESS
 * EXCLUSIVE — the default) blocks writes, and ACCESS EXCLUSIVE also reads, until the transaction
 * ends, and Tandem cannot know how long the rest of the transaction takes: blocking, with no online
 * form to substitute. Weaker modes block no DML and are not flagged. LOCK TABLE outside a
 * transaction block fails (PG15: "LOCK TABLE can only be used in transaction blocks"). Tables
 * created earlier in the same migration are exempt.
 */
public final class LockTableRule implements Rule {
    public static final String ID = "lock-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "LOCK TABLE in SHARE mode or stronger blocks traffic for the rest of the transaction";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.LockTable lt)) return;
        LockMode mode = lt.mode() == null ? LockMode.ACCESS_EXCLUSIVE : lt.mode();
        List<QualifiedName> tables = lt.tables().stream().filter(ctx::isPreExisting).toList();
        boolean outside = !ctx.state().inTransaction();
        String failure = " Outside a transaction block it fails: \"LOCK TABLE can only be used in transaction blocks\".";
        if (mode.blocksWrites() && !tables.isEmpty()) {
            String names = String.join(", ", tables.stream().map(ctx::describe).toList());
            String blocked = mode.blocksReads() ? "every read and write" : "every INSERT, UPDATE and DELETE";
            ctx.report(StatementClass.BLOCKING,
                    "LOCK TABLE " + names + " IN " + mode.sqlName() + " MODE (" + mode.pgName() + ") makes " + blocked
                            + " of it wait until the transaction ends, however long the rest of the migration takes."
                            + (outside ? failure : ""),
                    "Remove it: Tandem takes the lock each step needs itself, with lock_timeout and retries, and keeps"
                            + " each lock in a short transaction. If the statements need protection from concurrent DDL only,"
                            + " SHARE UPDATE EXCLUSIVE lets reads and writes through.");
        } else if (outside) {
            ctx.report(StatementClass.REVIEW,
                    "LOCK TABLE runs outside a transaction block here, so it fails." + failure,
                    "Remove it, or put it in an explicit BEGIN … COMMIT together with the statements it protects.");
        }
    }
}
