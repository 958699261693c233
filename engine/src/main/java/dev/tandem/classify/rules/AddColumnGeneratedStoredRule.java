package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * {@code ADD COLUMN c … GENERATED ALWAYS AS (…) STORED} computes the value for every row: a
 * rewrite of the table and its indexes under AccessExclusiveLock (PG15: new relfilenode).
 * PostgreSQL 18's VIRTUAL generated columns (the default kind on 18) are computed on read and
 * never rewrite; before 18 every generated column is stored.
 */
public final class AddColumnGeneratedStoredRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-generated-stored";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … GENERATED ALWAYS AS (…) STORED rewrites the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        if (c.generated() == null) return;
        boolean virtualAvailable = ctx.version().atLeast(18);
        if (virtualAvailable && !c.generated().stored()) return;
        rewrite(ctx, at);
        String t = sql(at.table());
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding the stored generated column " + c.name() + " to " + name(ctx, at.table()) + " computes "
                        + c.generated().expression().text() + " for every existing row: " + pg(ctx)
                        + " rewrites the table and all its indexes under an AccessExclusiveLock, blocking every read and write "
                        + "on " + at.table().display() + " until it ends.",
                virtualAvailable
                        ? "On " + pg(ctx) + " make it a virtual column, computed on read with no rewrite:\n  ALTER TABLE " + t
                        + " ADD COLUMN " + c.name() + " " + c.type().raw() + " GENERATED ALWAYS AS ("
                        + c.generated().expression().text() + ") VIRTUAL;\nor add a plain column kept up to date by a trigger "
                        + "and backfill it in batches."
                        : "Add a plain nullable column, keep it up to date with a BEFORE INSERT OR UPDATE trigger that sets "
                        + c.name() + " = " + c.generated().expression().text() + ", and backfill old rows in batches:\n  ALTER TABLE "
                        + t + " ADD COLUMN " + c.name() + " " + c.type().raw() + ";\n  CREATE TRIGGER … BEFORE INSERT OR UPDATE ON "
                        + t + " …;\n  UPDATE " + t + " SET " + c.name() + " = " + c.generated().expression().text()
                        + " WHERE <key range>;  -- in batches\n(PostgreSQL 18 offers VIRTUAL generated columns, which need no rewrite.)");
    }
}
