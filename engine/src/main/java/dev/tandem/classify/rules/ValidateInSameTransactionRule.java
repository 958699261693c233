package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import java.util.Optional;

/**
 * {@code VALIDATE CONSTRAINT} scans the table under a ShareUpdateExclusiveLock, which is the point
 * of NOT VALID + VALIDATE. But locks last until the transaction ends: run in the same transaction
 * as the {@code ADD … NOT VALID}, the ADD's AccessExclusiveLock (CHECK) or ShareRowExclusiveLock
 * (FOREIGN KEY) is still held for the whole scan. Every VALIDATE records its scan, with or without
 * a finding.
 */
public final class ValidateInSameTransactionRule extends AlterTableRule {

    @Override
    public String id() {
        return "validate-in-same-transaction";
    }

    @Override
    public String summary() {
        return "VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID scans while the ADD's lock is still held";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.ValidateConstraint vc)) return;
        Optional<ConstraintInfo> c = ctx.table(at.table()).flatMap(t -> t.constraint(vc.name()));
        if (c.isPresent() && c.get().validated()) return; // already valid: VALIDATE does nothing
        scan(ctx, at);
        if (!ctx.state().inTransaction() || !ctx.state().addedNotValidInTransaction(at.table(), vc.name())) return;
        LockMode held = ctx.state().heldLocks().getOrDefault(at.table().display(),
                c.map(ci -> ci.kind() == ConstraintInfo.Kind.FOREIGN_KEY ? LockMode.SHARE_ROW_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE)
                        .orElse(LockMode.ACCESS_EXCLUSIVE));
        String blocked = held.blocksReads() ? "every read and write" : "every write";
        String t = sql(at.table());
        ctx.report(StatementClass.ONLINE_REWRITE,
                "VALIDATE CONSTRAINT " + vc.name() + " runs in the same transaction that added it NOT VALID, so the "
                        + held.pgName() + " taken by the ADD is still held on " + name(ctx, at.table()) + " while the validation "
                        + "reads the whole table: " + blocked + " on " + at.table().display() + " waits until the transaction commits.",
                "Commit between the two statements: put VALIDATE CONSTRAINT in a later migration (or after an explicit COMMIT), "
                        + "where it needs only a ShareUpdateExclusiveLock:\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + vc.name() + ";");
    }
}
