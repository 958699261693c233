package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;

/**
 * PostgreSQL 18's {@code ADD CONSTRAINT name NOT NULL col} without NOT VALID scans the table under
 * an AccessExclusiveLock, like SET NOT NULL. With NOT VALID it is catalog only and
 * {@code VALIDATE CONSTRAINT} later scans under a ShareUpdateExclusiveLock.
 */
public final class AddNotNullConstraintRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-not-null-constraint";
    }

    @Override
    public String summary() {
        return "ADD CONSTRAINT … NOT NULL (PostgreSQL 18) without NOT VALID scans the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.NotNull nn)) return;
        if (nn.notValid()) return;
        if (NotNullAnalyzer.provenNotNull(ctx.table(at.table()), nn.column(), ctx.version())) return;
        scan(ctx, at);
        String t = sql(at.table());
        String cname = nn.name() != null ? nn.name() : SchemaReplayer.objectName(at.table().name(), nn.column(), "not_null");
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Adding the NOT NULL constraint on " + name(ctx, at.table()) + "." + nn.column() + " reads every row while "
                        + "holding an AccessExclusiveLock: every read and write on " + at.table().display() + " waits until the scan ends, and "
                        + "writes of the running application that leave " + nn.column() + " NULL fail from then on.",
                "Once every writer sets " + nn.column() + " and old rows are backfilled, add it NOT VALID (catalog only) and "
                        + "validate it in a later transaction under a ShareUpdateExclusiveLock (reads and writes go on):\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " NOT NULL " + nn.column() + " NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + cname + ";");
    }
}
