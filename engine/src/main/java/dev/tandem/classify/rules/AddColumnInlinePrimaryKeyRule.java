package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;

/**
 * {@code ADD COLUMN c … PRIMARY KEY}: the primary-key index is built over the whole table under
 * the ALTER's AccessExclusiveLock (the column also becomes NOT NULL, so it needs values for every
 * row: a serial/identity/default, which rewrites).
 */
public final class AddColumnInlinePrimaryKeyRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-inline-primary-key";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … PRIMARY KEY builds the primary-key index under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        if (c.constraints().stream().noneMatch(k -> k instanceof Constraint.PrimaryKey)) return;
        scan(ctx, at);
        String t = sql(at.table());
        String idx = SchemaReplayer.objectName(at.table().name(), null, "pkey");
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding column " + c.name() + " as PRIMARY KEY of " + name(ctx, at.table()) + " builds the primary-key index by "
                        + "reading the whole table while holding an AccessExclusiveLock: every read and write on " + t
                        + " waits until it is built.",
                "Add the column (nullable, filled in batches), make it NOT NULL through a validated CHECK, build the index "
                        + "concurrently and attach it:\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + (c.isSerial() ? "bigint" : c.type().raw())
                        + ";  -- then backfill in batches\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + c.name() + "_not_null CHECK (" + c.name()
                        + " IS NOT NULL) NOT VALID;  VALIDATE CONSTRAINT in a later transaction;  ALTER COLUMN " + c.name()
                        + " SET NOT NULL;\n"
                        + "  CREATE UNIQUE INDEX CONCURRENTLY " + idx + " ON " + t + " (" + c.name() + ");\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + idx + " PRIMARY KEY USING INDEX " + idx + ";");
    }
}
