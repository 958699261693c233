package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;

/**
 * {@code ADD CONSTRAINT … CHECK (…)} without NOT VALID verifies every row while holding an
 * AccessExclusiveLock. NOT VALID makes it catalog only (new rows are still checked) and
 * {@code VALIDATE CONSTRAINT} later scans under a ShareUpdateExclusiveLock.
 */
public final class AddCheckConstraintValidatesRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-check-constraint-validates";
    }

    @Override
    public String summary() {
        return "ADD CONSTRAINT … CHECK without NOT VALID scans the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.Check ck)) return;
        if (ck.notValid()) return;
        scan(ctx, at);
        String t = sql(at.table());
        String cname = ck.name() != null ? ck.name() : SchemaReplayer.objectName(at.table().name(), null, "check");
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding CHECK (" + ck.expression().text() + ") to " + name(ctx, at.table()) + " verifies every row while "
                        + "holding an AccessExclusiveLock: every read and write on " + at.table().display() + " waits until the scan ends.",
                "Add it NOT VALID (catalog only; new and updated rows are checked at once), then validate it in a separate "
                        + "transaction under a ShareUpdateExclusiveLock, which lets reads and writes go on:\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " CHECK (" + ck.expression().text() + ") NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + cname + ";");
    }
}
