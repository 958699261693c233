package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.Locale;

/**
 * ALTER [MATERIALIZED] VIEW … RENAME TO / SET SCHEMA / RENAME COLUMN changes a name the running app
 * version reads: its queries fail from the commit on. Exempt: views created earlier in the
 * migration, and a rename followed in the same transaction by a view under the old name.
 */
public final class RenameViewRule implements Rule {
    public static final String ID = "rename-view";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Renaming a view or one of its columns breaks the app version that reads it";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterView av) || av.action() == null) return;
        String action = av.action().toLowerCase(Locale.ROOT).strip();
        boolean column = action.startsWith("rename column") || (action.startsWith("rename") && action.contains("column"));
        boolean rename = !column && action.startsWith("rename");
        boolean schema = action.startsWith("set schema");
        if (!column && !rename && !schema) return;
        if (CreatedObjects.view(ctx, av.view())) return;
        QualifiedName from = av.view().resolved();
        if (!column && RenameTableRule.compatibilityViewFollows(ctx, from)) return;
        String kind = av.materialized() ? "materialized view " : "view ";
        String what = column ? "Renaming a column of " + kind + ctx.describe(from)
                : (rename ? "Renaming " : "Moving ") + kind + ctx.describe(from)
                        + (av.target() != null ? " to " + av.target() : "");
        String fix = column
                ? "Expand: CREATE OR REPLACE VIEW " + av.view() + " AS … adding the new column name at the end next to the"
                        + " old one; deploy the app that reads the new name. Contract: re-create the view without the old"
                        + " column (DROP VIEW + CREATE VIEW in one transaction)."
                : "Expand: create the view under its new name as well (CREATE VIEW <new name> AS SELECT * FROM " + av.view()
                        + ", or rename and re-create " + av.view() + " AS SELECT * FROM <new name> in the same transaction);"
                        + " deploy the app that reads the new name. Contract: drop the old name.";
        ctx.report(StatementClass.EXPAND_CONTRACT,
                what + " breaks the running app version: its queries still use the old name and fail from the moment"
                        + " this commits.",
                fix);
    }
}
