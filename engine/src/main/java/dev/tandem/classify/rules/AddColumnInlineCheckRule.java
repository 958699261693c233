package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;

/**
 * {@code ADD COLUMN c … CHECK (…)}: PostgreSQL verifies the new constraint against every row,
 * even though the new column is NULL or a constant (PG15: one sequential scan), while holding the
 * ALTER's AccessExclusiveLock. An inline column constraint cannot be NOT VALID.
 */
public final class AddColumnInlineCheckRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-inline-check";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … CHECK (…) scans the whole table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        Constraint.Check check = c.constraints().stream().filter(k -> k instanceof Constraint.Check)
                .map(k -> (Constraint.Check) k).findFirst().orElse(null);
        if (check == null) return;
        scan(ctx, at);
        String t = sql(at.table());
        String cname = check.name() != null ? check.name() : SchemaReplayer.objectName(at.table().name(), c.name(), "check");
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding column " + c.name() + " with CHECK (" + check.expression().text() + ") to " + name(ctx, at.table())
                        + " verifies the constraint by reading every row while holding an AccessExclusiveLock: every read and "
                        + "write on " + at.table().display() + " waits until the scan ends.",
                "Add the column without the CHECK, then add the constraint NOT VALID (catalog only; new rows are checked) and "
                        + "validate it in a later transaction under a ShareUpdateExclusiveLock, which lets reads and writes go on:\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + c.type().raw() + ";\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " CHECK (" + check.expression().text() + ") NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + cname + ";  -- separate transaction");
    }
}
