package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.QualifiedName;
import java.util.Locale;

/**
 * {@code ADD COLUMN c … REFERENCES other}: besides the AccessExclusiveLock on the table, the
 * foreign key takes a ShareRowExclusiveLock on the referenced table (PG15), blocking its writes.
 * Without a default the new column is all NULL and the check finds nothing to verify (PG15: no
 * scan) — advice only. With a default (or a serial/identity value) every row is checked against
 * the referenced table while both locks are held (PG15: both tables scanned).
 */
public final class AddColumnInlineReferencesRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-inline-references";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … REFERENCES locks the referenced table against writes, and with a default verifies every row under lock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        Constraint.ForeignKey fk = c.constraints().stream().filter(k -> k instanceof Constraint.ForeignKey)
                .map(k -> (Constraint.ForeignKey) k).findFirst().orElse(null);
        if (fk == null) return;
        QualifiedName ref = fk.refTable() != null ? fk.refTable() : at.table();
        String t = sql(at.table());
        String cname = fk.name() != null ? fk.name() : SchemaReplayer.objectName(at.table().name(), c.name(), "fkey");
        String refCols = fk.refColumns().isEmpty() ? "" : " (" + String.join(", ", fk.refColumns()) + ")";
        String recipe = "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + c.type().raw() + ";\n"
                + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " FOREIGN KEY (" + c.name() + ") REFERENCES "
                + sql(ref) + refCols + " NOT VALID;\n"
                + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + cname + ";  -- separate transaction";
        boolean hasValues = c.isSerial() || c.identity() != null || c.generated() != null
                || (c.defaultValue() != null && !c.defaultValue().text().strip().toLowerCase(Locale.ROOT).equals("null"));
        if (hasValues) {
            scan(ctx, at);
            ctx.scans(ref); // the check is one anti-join: the referenced table is read in full too (traced)
            ctx.report(StatementClass.ONLINE_REWRITE,
                    "Adding column " + c.name() + " REFERENCES " + ref.display() + " with a value for every row makes "
                            + pg(ctx) + " check each row of " + name(ctx, at.table()) + " against " + ref.display()
                            + " while holding an AccessExclusiveLock on " + at.table().display() + " (no reads or writes) and a "
                            + "ShareRowExclusiveLock on " + ref.display() + " (no writes) until the check ends.",
                    "Add the column first, then the foreign key NOT VALID, and validate it in a later transaction "
                            + "(ShareUpdateExclusiveLock; reads and writes go on):\n" + recipe);
            return;
        }
        if (!ctx.isPreExisting(ref)) return;
        ctx.report(StatementClass.COMPATIBLE,
                "Adding column " + c.name() + " REFERENCES " + ref.display() + " also takes a ShareRowExclusiveLock on "
                        + ref.display() + ": writes to it wait for the ALTER, and the ALTER waits for every running "
                        + "transaction on either table. The new column is NULL everywhere, so nothing is scanned.",
                "Keep the statement short and run it with a lock_timeout and retries; or split it so each lock is brief:\n" + recipe);
    }
}
