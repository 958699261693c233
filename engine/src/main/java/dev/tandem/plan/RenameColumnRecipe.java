package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code RENAME COLUMN a TO b} without breaking the app version that still uses {@code a}: both
 * names exist while both versions run ({@link ColumnCopy}).
 * <ol>
 *   <li>expand: {@code ADD COLUMN b} of a's type, nullable and without default (NOT NULL and the
 *       default come back in contract), after a guard that stops the plan if a has a collation of
 *       its own (the schema model does not know column collations, and the copy would silently get
 *       the type's default); a trigger keeps a and b equal in both directions: on INSERT a row that
 *       names b (only the new app knows it) gives a its value, otherwise b takes a's; on UPDATE
 *       whichever of the two changed wins, b first;</li>
 *   <li>backfill: {@code b = a} for the rows where they differ, in keyset batches; then a copy on b
 *       of each index that uses a, built concurrently;</li>
 *   <li>contract: NOT NULL on b through a validated CHECK if a had it; then one transaction: trigger
 *       and function dropped, b gets a's default, a dropped, the index copies renamed to the
 *       original names, CHECK constraints on a added back for b NOT VALID; then VALIDATE.</li>
 * </ol>
 * The column ends up last in the table, not where a was.
 */
final class RenameColumnRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("rename-column");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome rename(PlanContext ctx, Change.AlterTable at, AlterAction.RenameColumn rc) {
        QualifiedName table = at.table();
        String a = rc.from();
        String b = rc.to();
        ColumnCopy.Inspection found = ColumnCopy.inspect(ctx, at, a, b, "Renaming", true);
        if (found.refusal() != null) return found.refusal();
        ColumnCopy.Facts facts = found.facts();
        ColumnInfo column = facts.column();
        String alter = ConstraintRecipe.alterTable(at);
        String helper = ObjectNames.of(table.name(), a, "rename_tandem");
        QualifiedName function = QualifiedName.of(table.schema(), helper);
        String ia = SqlText.ident(a);
        String ib = SqlText.ident(b);
        Outcome.Builder out = Outcome.steps();

        out.expand(ColumnCopy.addColumn(ctx, at, "Check that " + a + " has its type's default collation (the plan copies the"
                        + " type only), then add " + b + " " + column.type().raw() + " nullable without default for the new app"
                        + " version: no row is written (brief AccessExclusiveLock).",
                collationGuard(table, a), b, column.type().raw()));
        // Both directions: the old app version writes only a, the new one only b, and each must see
        // the other's writes. b wins when both change: only the new app version knows b.
        out.expand(ColumnCopy.function(ctx, "Create the trigger function " + helper + " that keeps " + a + " and " + b
                        + " equal: a row written with " + b + " copies it to " + a + ", any other row copies " + a + " to " + b + ".",
                function, "",
                "IF TG_OP = 'INSERT' THEN IF NEW." + ib + " IS NOT NULL THEN NEW." + ia + " := NEW." + ib + "; ELSE NEW." + ib
                        + " := NEW." + ia + "; END IF; ELSIF NEW." + ib + " IS DISTINCT FROM OLD." + ib + " THEN NEW." + ia
                        + " := NEW." + ib + "; ELSIF NEW." + ia + " IS DISTINCT FROM OLD." + ia + " THEN NEW." + ib + " := NEW."
                        + ia + "; END IF;"));
        out.expand(ColumnCopy.trigger(ctx, "Run " + helper + " BEFORE INSERT OR UPDATE of every row, so that both app versions"
                        + " see each other's writes; BEFORE, so that a NOT NULL " + a + " is filled before it is checked (brief"
                        + " ShareRowExclusiveLock).",
                table, helper, function));

        // Nothing to undo: b is added by this release and its rollback drops it.
        out.backfill(ctx.backfill("Copy " + a + " into " + b + " for the existing rows in keyset batches of short transactions"
                        + " (the trigger keeps them equal from then on).",
                table, facts.key(), ib + " = " + ia, ib + " IS DISTINCT FROM " + ia, null));
        ColumnCopy.buildIndexes(ctx, facts, table, out);

        if (column.notNull()) ColumnCopy.notNull(ctx, at, b, out);
        List<String> swap = new ArrayList<>();
        swap.add(ColumnCopy.dropTrigger(helper, table));
        swap.add(ColumnCopy.dropFunction(function));
        if (column.defaultValue() != null) {
            swap.add(alter + " ALTER COLUMN " + ib + " SET DEFAULT " + column.defaultValue().text());
        }
        swap.add(alter + " DROP COLUMN " + ia);
        swap.addAll(ColumnCopy.afterDrop(at, facts));
        out.contract(ctx.destructive("In one transaction: drop the trigger and its function"
                        + (column.defaultValue() != null ? ", give " + b + " the default of " + a : "") + ", drop " + a
                        + (facts.indexes().isEmpty() ? "" : " and its indexes, give the copies their names (" + ColumnCopy.names(
                        facts.indexes()) + ")")
                        + (facts.checks().isEmpty() ? "" : ", add its CHECK constraints back for " + b + " NOT VALID")
                        + " (brief AccessExclusiveLock; DROP COLUMN only marks the column dropped).",
                String.join(";\n", swap), List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)),
                "the column " + a + " is dropped; the app version that used it is gone, and " + b + " holds its values"));
        ColumnCopy.validateChecks(ctx, at, facts, out);
        return out.build();
    }

    /**
     * Stops the step when {@code column} has a collation other than its type's default: the schema
     * model does not know column collations, and the copy would silently get the default.
     */
    static String collationGuard(QualifiedName table, String column) {
        return "DO $tandem$BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                + " WHERE a.attrelid = " + SqlText.regclass(table) + " AND a.attname = " + SqlText.literal(column)
                + " AND a.attcollation <> t.typcollation) THEN RAISE EXCEPTION "
                + SqlText.literal("column " + column + " has a collation of its own, which the plan does not copy: rename it in a"
                + " maintenance window") + "; END IF; END$tandem$";
    }
}
