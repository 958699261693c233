package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * ALTER SCHEMA … RENAME TO changes the qualified name of every object in the schema at once; the
 * running app version's qualified queries and search_path settings stop finding them. It takes no
 * table lock (PG15: no relation lock in {@code pg_locks}), so it is quick — and quietly breaking.
 * Schemas created earlier in the same migration are exempt.
 */
public final class RenameSchemaRule implements Rule {
    public static final String ID = "rename-schema";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Renaming a schema renames everything in it for the running app version";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterSchema as) || as.newName() == null) return;
        if (as.action() != null && !as.action().toLowerCase(java.util.Locale.ROOT).startsWith("rename")) return;
        if (CreatedObjects.schema(ctx, as.name())) return;
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Renaming schema " + as.name() + " to " + as.newName() + " renames every table, view and function in it at"
                        + " once: the running app version's queries and search_path that name " + as.name()
                        + " fail from the moment this commits.",
                "Expand: CREATE SCHEMA " + as.newName() + "; move objects one at a time with a compatibility view for each"
                        + " (ALTER TABLE " + as.name() + ".t SET SCHEMA " + as.newName() + "; CREATE VIEW " + as.name()
                        + ".t AS SELECT * FROM " + as.newName() + ".t; in one transaction). Deploy the app that uses "
                        + as.newName() + ". Contract: drop the views, then DROP SCHEMA " + as.name() + ";");
    }
}
