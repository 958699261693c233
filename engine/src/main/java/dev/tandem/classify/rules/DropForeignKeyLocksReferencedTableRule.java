package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Optional;

/**
 * {@code DROP CONSTRAINT fk}: removing a foreign key also removes its triggers from the referenced
 * table, which takes an AccessExclusiveLock on that table too (PG15) — brief, but it waits for (and
 * then blocks) every query on both tables. Advice only; known foreign keys only (from the model).
 */
public final class DropForeignKeyLocksReferencedTableRule extends AlterTableRule {

    @Override
    public String id() {
        return "drop-foreign-key-locks-referenced-table";
    }

    @Override
    public String summary() {
        return "Dropping a foreign key briefly takes an AccessExclusiveLock on the referenced table too";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.DropConstraint dc)) return;
        Optional<ConstraintInfo> fk = ctx.table(at.table()).flatMap(t -> t.constraint(dc.name()))
                .filter(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.refTable() != null);
        if (fk.isEmpty() || !ctx.isPreExisting(fk.get().refTable())) return;
        String ref = fk.get().refTable().display();
        ctx.report(StatementClass.COMPATIBLE,
                "Dropping foreign key " + dc.name() + " takes an AccessExclusiveLock on " + at.table().display() + " and on the "
                        + "referenced table " + ref + " (its foreign-key triggers are removed): brief, but it waits behind every "
                        + "running query on either table and blocks all queries on both while it waits.",
                "Run it with a short lock_timeout and retries, in a transaction of its own.");
    }
}
