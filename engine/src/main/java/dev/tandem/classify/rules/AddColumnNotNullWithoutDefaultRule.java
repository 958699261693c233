package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * {@code ADD COLUMN c … NOT NULL} without a DEFAULT: on a table with rows it fails outright
 * (23502, column contains null values); once it exists, the running application's INSERTs, which do
 * not name the column, fail. Serial, identity and generated columns have values and are exempt.
 */
public final class AddColumnNotNullWithoutDefaultRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-not-null-without-default";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … NOT NULL without a DEFAULT fails on a populated table and breaks the running app's INSERTs";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        if (!c.impliesNotNull() || c.defaultValue() != null || c.isSerial() || c.identity() != null || c.generated() != null) return;
        String t = sql(at.table());
        // ALTER TABLE's check pass reads every row for the new NOT NULL (traced on 13, 15 and 18: a
        // full scan, even of an empty table), failing at the first one
        ctx.scans(at.table());
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Adding column " + c.name() + " " + c.type().raw() + " NOT NULL without a DEFAULT to " + name(ctx, at.table())
                        + " fails with \"column contains null values\" as soon as the table has a row; and once the column "
                        + "exists, every INSERT of the running application version, which does not know the column, fails "
                        + "with a not-null violation.",
                "Expand: ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + c.type().raw()
                        + ";  (nullable, or NOT NULL with a constant DEFAULT, which " + pg(ctx) + " stores without a rewrite)\n"
                        + "Deploy the application that writes " + c.name() + ", backfill old rows in batches, then contract: "
                        + "ALTER TABLE " + t + " ADD CONSTRAINT " + at.table().name() + "_" + c.name() + "_not_null CHECK ("
                        + c.name() + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a later transaction; SET NOT NULL; "
                        + "DROP CONSTRAINT.");
    }
}
