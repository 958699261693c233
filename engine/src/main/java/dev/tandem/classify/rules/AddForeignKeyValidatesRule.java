package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.QualifiedName;

/**
 * {@code ADD CONSTRAINT … FOREIGN KEY … REFERENCES p} without NOT VALID checks every row against
 * {@code p} while holding a ShareRowExclusiveLock on both tables (PG15), blocking their writes for
 * the whole scan. NOT VALID takes the same locks only for a catalog change; {@code VALIDATE
 * CONSTRAINT} later needs only ShareUpdateExclusiveLock (and RowShareLock on {@code p}). A new
 * referencing table is empty: no finding (the brief lock on {@code p} is the compatible cost).
 */
public final class AddForeignKeyValidatesRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-foreign-key-validates";
    }

    @Override
    public String summary() {
        return "ADD FOREIGN KEY without NOT VALID scans the table while blocking writes on both tables";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.ForeignKey fk)) return;
        if (fk.notValid()) return;
        scan(ctx, at);
        QualifiedName ref = fk.refTable() != null ? fk.refTable() : at.table();
        // the validation is one anti-join of the two tables (RI_Initial_Check): the referenced
        // table is read in full too, as a traced plan shows (seq_scan on both)
        ctx.scans(ref);
        String t = sql(at.table());
        String cname = fk.name() != null ? fk.name() : SchemaReplayer.objectName(at.table().name(), String.join("_", fk.columns()), "fkey");
        String refCols = fk.refColumns().isEmpty() ? "" : " (" + String.join(", ", fk.refColumns()) + ")";
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding foreign key " + cname + " checks every row of " + name(ctx, at.table()) + " against " + ref.display()
                        + " while holding a ShareRowExclusiveLock on both tables: all writes to " + at.table().display() + " and " + ref.display()
                        + " wait until the scan ends.",
                "Add it NOT VALID (a brief lock; new rows are checked at once), then validate it in a separate transaction "
                        + "under a ShareUpdateExclusiveLock, which lets reads and writes go on:\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " FOREIGN KEY (" + String.join(", ", fk.columns())
                        + ") REFERENCES " + sql(ref) + refCols + " NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + cname + ";");
    }
}
