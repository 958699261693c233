package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * {@code RENAME COLUMN}: catalog only, under a brief AccessExclusiveLock, but the running
 * application still uses the old name and fails at once.
 */
public final class RenameColumnRule extends AlterTableRule {

    @Override
    public String id() {
        return "rename-column";
    }

    @Override
    public String summary() {
        return "RENAME COLUMN breaks the running application version, which still uses the old name";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.RenameColumn rc)) return;
        String t = sql(at.table());
        String type = ctx.table(at.table()).flatMap(i -> i.column(rc.from())).map(c -> c.type().display()).orElse("<type>");
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Renaming column " + rc.from() + " of " + at.table().display() + " to " + rc.to() + " breaks the application "
                        + "version that is running: every query that names " + rc.from() + " fails with \"column does not "
                        + "exist\" from the moment the rename commits.",
                "Expand: add the new column and keep both in step, then contract after the deploy:\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + rc.to() + " " + type + ";\n"
                        + "  -- trigger copying " + rc.from() + " to " + rc.to() + " on INSERT/UPDATE (and back, while old "
                        + "writers run); backfill old rows in batches\n"
                        + "  -- deploy the version that uses " + rc.to() + "; once the old version is gone:\n"
                        + "  ALTER TABLE " + t + " DROP COLUMN " + rc.from() + ";");
    }
}
