package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Optional;

/**
 * {@code ALTER COLUMN c SET NOT NULL} reads the whole table to prove there is no NULL, holding an
 * AccessExclusiveLock; and the running application may still write NULLs. Since PostgreSQL 12 the
 * scan is skipped when a validated {@code CHECK (c IS NOT NULL)} exists (checked in the schema
 * model, which includes constraints validated earlier in the same migration): then the statement
 * is a brief catalog change and no finding is reported. A column already NOT NULL is a no-op.
 */
public final class SetNotNullScansTableRule extends AlterTableRule {

    @Override
    public String id() {
        return "set-not-null-scans-table";
    }

    @Override
    public String summary() {
        return "SET NOT NULL scans the whole table under an AccessExclusiveLock unless a validated CHECK (col IS NOT NULL) proves it";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.SetNotNull sn)) return;
        Optional<TableInfo> table = ctx.table(at.table());
        String col = sn.column();
        if (NotNullAnalyzer.provenNotNull(table, col, ctx.version())) return;
        scan(ctx, at);
        String t = sql(at.table());
        String check = SchemaReplayer.objectName(at.table().name(), col, "not_null");
        Optional<ConstraintInfo> pending = NotNullAnalyzer.unvalidatedCheck(table, col);
        String fix = pending.isPresent()
                ? "The CHECK constraint " + pending.get().name() + " already says " + col + " IS NOT NULL but is NOT VALID. "
                + "Validate it first, in its own transaction (ShareUpdateExclusiveLock; reads and writes go on), and SET NOT "
                + "NULL then skips the scan:\n"
                + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + pending.get().name() + ";\n"
                + "  ALTER TABLE " + t + " ALTER COLUMN " + col + " SET NOT NULL;\n"
                + "  ALTER TABLE " + t + " DROP CONSTRAINT " + pending.get().name() + ";"
                : "Once every writer sets " + col + " and old rows are backfilled, prove NOT NULL with a CHECK validated "
                + "under a ShareUpdateExclusiveLock; SET NOT NULL then skips the scan (PostgreSQL 12+):\n"
                + "  ALTER TABLE " + t + " ADD CONSTRAINT " + check + " CHECK (" + col + " IS NOT NULL) NOT VALID;\n"
                + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + check + ";  -- separate transaction\n"
                + "  ALTER TABLE " + t + " ALTER COLUMN " + col + " SET NOT NULL;\n"
                + "  ALTER TABLE " + t + " DROP CONSTRAINT " + check + ";";
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "SET NOT NULL on " + name(ctx, at.table()) + "." + col + " reads every row to prove there is no NULL while "
                        + "holding an AccessExclusiveLock: every read and write on " + at.table().display() + " waits until the scan ends, and "
                        + "writes of the running application that leave " + col + " NULL fail from then on. No validated "
                        + "CHECK (" + col + " IS NOT NULL) is known that would let " + pg(ctx) + " skip the scan.",
                fix);
    }
}
