package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;

/**
 * ALTER TABLE … RENAME TO / SET SCHEMA changes the name the running app version uses: its queries
 * fail with "relation … does not exist" from the commit on (the lock itself, AccessExclusiveLock,
 * is brief). Exempt: tables created earlier in the migration, and a rename followed in the same
 * transaction by a view under the old name (the expand half of the recipe: a simple
 * {@code SELECT *} view is auto-updatable, so the old app keeps reading and writing through it and
 * no other session ever sees the name missing).
 */
public final class RenameTableRule implements Rule {
    public static final String ID = "rename-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Renaming a table, or moving it to another schema, breaks the running app version";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at) || !ctx.isPreExisting(at.table())) return;
        QualifiedName from = at.table().resolved();
        for (AlterAction a : at.actions()) {
            QualifiedName to = switch (a) {
                case AlterAction.RenameTable r -> QualifiedName.of(from.schema(), r.newName());
                case AlterAction.SetSchema s -> QualifiedName.of(s.schema(), from.name());
                default -> null;
            };
            if (to == null || compatibilityViewFollows(ctx, from)) continue;
            String verb = a instanceof AlterAction.RenameTable ? "Renaming " : "Moving ";
            ctx.report(StatementClass.EXPAND_CONTRACT,
                    verb + ctx.describe(from) + " to " + to.display() + " breaks the running app version: its queries"
                            + " still name " + from.display() + " and fail with \"relation does not exist\" from the moment"
                            + " this commits (the AccessExclusiveLock it takes is brief).",
                    "Expand: rename and keep the old name as a view in the same transaction, ALTER TABLE " + at.table()
                            + (a instanceof AlterAction.RenameTable ? " RENAME TO " + to.name() : " SET SCHEMA " + to.schema())
                            + "; CREATE VIEW " + from + " AS SELECT * FROM " + to + "; (a simple view is updatable, so the"
                            + " old app keeps reading and writing through it). Deploy the app that uses " + to.display()
                            + ". Contract: DROP VIEW " + from + ";");
        }
    }

    /** A view named like the old table, created later in the same transaction. */
    static boolean compatibilityViewFollows(RuleContext ctx, QualifiedName oldName) {
        return Lookahead.createsViewLaterInTransaction(ctx, oldName, true);
    }
}
