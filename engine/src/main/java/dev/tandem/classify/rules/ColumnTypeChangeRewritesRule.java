package dev.tandem.classify.rules;

import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.TypeName;

/**
 * {@code ALTER COLUMN c TYPE t} that is not binary coercible (int → bigint, text → integer, a
 * USING expression, varchar → char, …) rewrites the table and rebuilds every index on it under an
 * AccessExclusiveLock (PG15: new relfilenode for the table and all indexes), and the running
 * application may write values the new type rejects or read a type it does not expect.
 * Binary-coercible changes (see {@link TypeChangeAnalyzer}) get no finding; narrowing,
 * timestamp ↔ timestamptz and index-only rebuilds have rules of their own. When the current type is
 * unknown (the table is not in the model) the change counts as a rewrite.
 */
public final class ColumnTypeChangeRewritesRule extends TypeChangeRule {

    @Override
    public String id() {
        return "column-type-change-rewrites";
    }

    @Override
    public String summary() {
        return "ALTER COLUMN … TYPE rewrites the table and every index under an AccessExclusiveLock unless binary coercible";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction.AlterColumnType change, TypeName from, TypeChangeAnalyzer.Kind kind) {
        if (kind != TypeChangeAnalyzer.Kind.REWRITE && kind != TypeChangeAnalyzer.Kind.UNKNOWN) return;
        rewrite(ctx, at);
        // a validated foreign key on the column is re-checked after the rewrite (its equality
        // operator changes with the type): the referenced table is read in full too (traced on
        // 13 to 18; a binary-coercible change keeps the operator and is not re-checked)
        ctx.table(at.table()).stream().flatMap(t -> t.constraints().stream())
                .filter(c -> c.kind() == ConstraintInfo.Kind.FOREIGN_KEY && c.validated() && c.refTable() != null
                        && c.columns().contains(change.column()))
                .forEach(c -> ctx.scans(c.refTable()));
        String what = from == null
                ? "The current type of " + columnRef(at, change.column()) + " is not known to Tandem (the column is not in the "
                + "replayed schema), so changing it to " + change.type().display() + " counts as a rewrite: "
                : "Changing " + columnRef(at, change.column()) + " from " + from.display() + " to " + change.type().display()
                + (change.using() != null ? " USING " + change.using().text() : "") + " is not binary coercible: ";
        ctx.report(StatementClass.EXPAND_CONTRACT,
                what + pg(ctx) + " rewrites " + name(ctx, at.table()) + " and rebuilds every index on it while holding an "
                        + "AccessExclusiveLock, so every read and write on " + sql(at.table()) + " waits until it ends; and the "
                        + "running application version may write values the new type rejects or read a type it does not expect.",
                newColumnRecipe(at, change));
    }
}
