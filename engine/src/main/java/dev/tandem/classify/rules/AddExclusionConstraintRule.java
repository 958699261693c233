package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;

/**
 * {@code ADD CONSTRAINT … EXCLUDE USING …} builds its index and checks every row under an
 * AccessExclusiveLock, and unlike CHECK, FOREIGN KEY, UNIQUE and PRIMARY KEY it accepts neither
 * NOT VALID nor USING INDEX: PostgreSQL has no online form.
 */
public final class AddExclusionConstraintRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-exclusion-constraint";
    }

    @Override
    public String summary() {
        return "ADD CONSTRAINT … EXCLUDE builds its index under an AccessExclusiveLock and has no online form";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.Exclusion ex)) return;
        scan(ctx, at);
        ctx.report(StatementClass.BLOCKING,
                "Adding exclusion constraint " + (ex.name() != null ? ex.name() + " " : "") + "to " + name(ctx, at.table())
                        + " builds its index and checks every row while holding an AccessExclusiveLock: every read and write on "
                        + at.table().display() + " waits until it ends. An EXCLUDE constraint accepts neither NOT VALID nor USING INDEX, so "
                        + pg(ctx) + " offers no online way to add it.",
                "Add it while the table is small or in a maintenance window; or create a new table with the constraint, copy "
                        + "the rows in batches while a trigger mirrors writes, and swap the tables in one short transaction.");
    }
}
