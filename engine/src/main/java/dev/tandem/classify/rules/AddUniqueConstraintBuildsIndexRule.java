package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;

/**
 * {@code ADD CONSTRAINT … UNIQUE (cols)} builds its index by reading the whole table while holding
 * an AccessExclusiveLock (PG15: AccessExclusiveLock + ShareLock on the table). {@code UNIQUE USING
 * INDEX} over an index built CONCURRENTLY is a brief catalog change.
 */
public final class AddUniqueConstraintBuildsIndexRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-unique-constraint-builds-index";
    }

    @Override
    public String summary() {
        return "ADD CONSTRAINT … UNIQUE builds its index under an AccessExclusiveLock; use CREATE UNIQUE INDEX CONCURRENTLY + USING INDEX";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.Unique u)) return;
        if (u.usingIndex() != null) return;
        scan(ctx, at);
        String t = sql(at.table());
        String cols = String.join(", ", u.columns());
        String cname = u.name() != null ? u.name() : SchemaReplayer.objectName(at.table().name(), String.join("_", u.columns()), "key");
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding UNIQUE (" + cols + ") to " + name(ctx, at.table()) + " builds a unique index by reading the whole table "
                        + "while holding an AccessExclusiveLock: every read and write on " + at.table().display() + " waits until it is built.",
                "Build the index without blocking, then attach it (a brief catalog change):\n"
                        + "  CREATE UNIQUE INDEX CONCURRENTLY " + cname + " ON " + t + " (" + cols + ");  -- outside a transaction\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " UNIQUE USING INDEX " + cname + ";");
    }
}
