package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;

/**
 * DROP [MATERIALIZED] VIEW removes a relation the running app version may read: its queries fail
 * with "relation … does not exist" (the AccessExclusiveLock on the view is brief). Exempt: views
 * created earlier in the migration, and a view re-created under the same name later in the same
 * transaction (the usual "DROP VIEW IF EXISTS v; CREATE VIEW v …" of repeatable migrations: other
 * sessions wait on the lock and then see the new view, never a missing one).
 */
public final class DropViewRule implements Rule {
    public static final String ID = "drop-view";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Dropping a view breaks the app version that still reads it";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DropView dv)) return;
        String kind = dv.materialized() ? "MATERIALIZED VIEW " : "VIEW ";
        for (QualifiedName view : dv.views()) {
            if (CreatedObjects.view(ctx, view) || Lookahead.createsViewLaterInTransaction(ctx, view, false)) continue;
            ctx.report(StatementClass.EXPAND_CONTRACT,
                    "DROP " + kind + ctx.describe(view) + (dv.cascade() ? " CASCADE (and every view built on it)" : "")
                            + " removes a relation the running app version may still read: its queries fail with"
                            + " \"relation does not exist\" from the moment this commits.",
                    "Contract phase only: drop it after the app version that reads it is gone. To change its definition, "
                            + (dv.materialized()
                                    ? "create the new materialized view under another name, move the app to it, and drop"
                                            + " this one in the contract phase; or drop and re-create it in the same transaction."
                                    : "CREATE OR REPLACE VIEW " + view + " AS … keeps it available (new columns only at the"
                                            + " end), or drop and re-create it in the same transaction."));
        }
    }

}
