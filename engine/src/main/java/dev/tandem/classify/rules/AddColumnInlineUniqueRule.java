package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;

/**
 * {@code ADD COLUMN c … UNIQUE} builds a unique index over the whole table while ALTER TABLE holds
 * its AccessExclusiveLock (PG15: AccessExclusiveLock + ShareLock on the table for the build).
 */
public final class AddColumnInlineUniqueRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-inline-unique";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … UNIQUE builds a unique index under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        if (c.constraints().stream().noneMatch(k -> k instanceof Constraint.Unique)) return;
        scan(ctx, at);
        String t = sql(at.table());
        String idx = SchemaReplayer.objectName(at.table().name(), c.name(), "key");
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding column " + c.name() + " with UNIQUE to " + name(ctx, at.table()) + " builds the unique index by reading "
                        + "the whole table while holding an AccessExclusiveLock: every read and write on " + t
                        + " waits until the index is built.",
                "Add the column without UNIQUE, build the index without blocking, then attach it as the constraint:\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + c.type().raw() + ";\n"
                        + "  CREATE UNIQUE INDEX CONCURRENTLY " + idx + " ON " + t + " (" + c.name() + ");  -- outside a transaction\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + idx + " UNIQUE USING INDEX " + idx + ";");
    }
}
