package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import java.util.List;

/**
 * DROP SCHEMA removes a namespace the running app may use; with CASCADE it drops every table, view,
 * sequence, type and function in it, taking AccessExclusiveLock on each table, without the
 * migration naming any of them. Without CASCADE it fails unless the schema is empty.
 *
 * <p>Class: expand-contract, like DROP TABLE: the online form is to run it in the contract phase,
 * after the app version that uses the schema is gone. (Not blocking: it has that online form.)
 * Schemas created earlier in the same migration are exempt.
 */
public final class DropSchemaRule implements Rule {
    public static final String ID = "drop-schema";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Dropping a schema (with CASCADE: everything in it) breaks the app version that uses it";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DropSchema ds)) return;
        for (String schema : ds.names()) {
            if (CreatedObjects.schema(ctx, schema)) continue;
            List<String> tables = ctx.schema().tables().stream().map(TableInfo::name)
                    .filter(n -> schema.equals(n.schema())).map(n -> n.display()).toList();
            String contents = tables.isEmpty() ? "every table, view, sequence, type and function in it"
                    : String.join(", ", tables) + " and every other object in it";
            String msg = ds.cascade()
                    ? "DROP SCHEMA " + schema + " CASCADE drops " + contents + ", with their data, taking AccessExclusiveLock"
                            + " on each table; the running app version's queries on them fail."
                    : "DROP SCHEMA " + schema + " removes a schema the running app version may still use (and fails unless it"
                            + " is empty).";
            ctx.report(StatementClass.EXPAND_CONTRACT, msg,
                    "Contract phase only: stop using the schema, deploy, then drop its objects explicitly (DROP TABLE …,"
                            + " DROP VIEW …), each reviewed on its own, and finally DROP SCHEMA " + schema + "; without CASCADE.");
        }
    }
}
