package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * {@code ADD COLUMN c … GENERATED … AS IDENTITY} numbers every existing row: a rewrite of the
 * table and its indexes under AccessExclusiveLock (PG15: new relfilenode). By contrast
 * {@code ALTER COLUMN c ADD GENERATED … AS IDENTITY} on an existing NOT NULL column only changes
 * the catalog (PG15: no new relfilenode), which is the end of the online recipe.
 */
public final class AddColumnIdentityRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-identity";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … GENERATED AS IDENTITY numbers every row by rewriting the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac) || ac.column().identity() == null) return;
        ColumnDef c = ac.column();
        rewrite(ctx, at);
        String t = sql(at.table());
        String kind = c.identity().always() ? "ALWAYS" : "BY DEFAULT";
        String seq = at.table().name() + "_" + c.name() + "_fill";
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding identity column " + c.name() + " to " + name(ctx, at.table()) + " gives every existing row a value: "
                        + pg(ctx) + " rewrites the table and all its indexes under an AccessExclusiveLock, blocking every read "
                        + "and write on " + at.table().display() + " until it ends.",
                "Add a nullable column, number old rows in batches, make it NOT NULL without a scan, then attach the identity "
                        + "(catalog only once the column is NOT NULL):\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + c.type().raw() + ";\n"
                        + "  CREATE SEQUENCE " + seq + ";  UPDATE " + t + " SET " + c.name() + " = nextval('" + seq
                        + "') WHERE <key range> AND " + c.name() + " IS NULL;  -- in batches, with a trigger or default for new rows\n"
                        + "  ADD CONSTRAINT … CHECK (" + c.name() + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT; ALTER COLUMN "
                        + c.name() + " SET NOT NULL;\n"
                        + "  ALTER TABLE " + t + " ALTER COLUMN " + c.name() + " ADD GENERATED " + kind + " AS IDENTITY;  "
                        + "ALTER TABLE " + t + " ALTER COLUMN " + c.name() + " RESTART WITH <max + 1>;");
    }
}
