package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import java.util.Optional;

/**
 * ALTER TABLE checks new CHECK / NOT NULL constraints and performs rewrites of all its actions in
 * one pass over the table. Two ALTER TABLE statements on the same table that each need such a pass
 * take AccessExclusiveLock twice and read (or rewrite) the whole table twice. Advice only, and
 * low-noise on purpose: it fires on the second statement that needs a pass, never for catalog-only
 * ALTERs (ADD COLUMN, NOT VALID constraints, VALIDATE, …), which the usual recipes repeat on purpose.
 * Earlier statements are judged against the schema as it is now (after them), so an earlier type
 * change may be missed; the rule errs towards silence. Each such pass is also another rule's hazard,
 * whose online form avoids it, so combining is the fallback for tables small enough to lock.
 */
public final class MultipleAlterTableSameTableRule implements Rule {
    public static final String ID = "multiple-alter-table-same-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Several ALTER TABLEs that each scan or rewrite the same table: combine them into one pass";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at) || !ctx.isPreExisting(at.table())) return;
        Optional<TableInfo> info = ctx.table(at.table());
        if (at.actions().stream().noneMatch(a -> TableWorkAnalyzer.rewritesOrChecksAllRows(ctx, a, info))) return;
        String table = at.table().display();
        long earlier = ctx.state().earlierChanges().stream()
                .filter(c -> c instanceof Change.AlterTable prev && prev.table().display().equals(table)
                        && prev.actions().stream().anyMatch(a -> TableWorkAnalyzer.rewritesOrChecksAllRows(ctx, a, info)))
                .count();
        if (earlier == 0) return;
        ctx.report(StatementClass.COMPATIBLE,
                "An earlier ALTER TABLE in this migration already scans or rewrites " + ctx.describe(at.table())
                        + "; this one takes AccessExclusiveLock again and reads the whole table once more.",
                "Prefer the online forms the other findings on these statements give, which need no pass under"
                        + " AccessExclusiveLock at all. If the table is small enough to accept the lock, combine the actions"
                        + " into one statement, ALTER TABLE " + at.table() + " <action>, <action>; PostgreSQL checks all"
                        + " new CHECK and NOT NULL constraints and does all rewrites of one ALTER TABLE in a single pass.");
    }
}
