package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A whole-table UPDATE becomes a {@link BackfillStep}: the same SET and WHERE, applied in keyset
 * batches of short transactions instead of one transaction that holds every row lock until it
 * commits. It runs in the backfill phase, after every expand step of the release (so a column the
 * release adds exists) and before the gate.
 *
 * <p>The batches walk the primary key, or else a unique key whose columns are all NOT NULL (NULLs
 * would make rows unreachable by {@code key > last}). Without one there is no recipe.
 */
final class BackfillRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("whole-table-update", "delete-without-where");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome update(PlanContext ctx, Change.Update u) {
        QualifiedName table = u.table();
        if (u.alias() != null || u.from() != null || SqlText.at(SqlText.tokens(ctx.sql()), 1, "only")) {
            return Outcome.notYet("A batched backfill of an UPDATE with ONLY, an alias or FROM is not available yet.",
                    "Write the UPDATE without them, or batch it yourself.");
        }
        Optional<List<String>> key = ctx.table(table).flatMap(t -> batchKey(t, ctx.schema()));
        if (key.isEmpty()) {
            return Outcome.precondition("A batched backfill walks " + table.display() + " by its primary key (or a unique key on"
                            + " NOT NULL columns), and none is known" + (ctx.table(table).isEmpty() ? " (the table is not in the"
                            + " schema the plan was made from)" : "") + ".",
                    "Give the table a primary key first, or plan with --url so that Tandem reads the table from the database.");
        }
        List<String> assigned = SqlText.assignedColumns(u.set());
        if (assigned == null) {
            return Outcome.notYet("Tandem could not read which columns this UPDATE sets.", "Batch the UPDATE yourself.");
        }
        for (String column : assigned) {
            if (key.get().contains(column)) {
                return Outcome.notYet("The UPDATE sets " + column + ", a column of the key the batches walk.",
                        "Batch it yourself by another key.");
            }
        }
        boolean newColumns = assigned.stream().allMatch(c -> ctx.release().columnAddedInRelease(table, c));
        return Outcome.steps().backfill(ctx.backfill(
                "Apply the UPDATE in keyset batches of short transactions by (" + String.join(", ", key.get()) + "), throttled"
                        + " and resumable, instead of locking every row of " + table.display() + " until one commit.",
                table, key.get(), u.set(), u.where(),
                newColumns ? null : "the UPDATE overwrites values in place; the old values are not kept")).build();
    }

    /**
     * A whole-table DELETE → the same rows deleted in keyset batches of short transactions, in the
     * backfill phase (the rule calls it backward compatible: the rows are meant to go while both
     * versions run). Only the plain form {@code DELETE FROM name [WHERE …]}: ONLY, an alias, USING,
     * RETURNING or a WITH clause would change what a batch means.
     */
    Outcome delete(PlanContext ctx, Change.Delete d) {
        QualifiedName table = d.table();
        if (d.using() != null || !plainDelete(SqlText.tokens(ctx.sql()))) {
            return Outcome.notYet("A batched delete of a DELETE with ONLY, an alias, USING, RETURNING or a WITH clause is not"
                            + " available yet.",
                    "Write the DELETE without them, or batch it yourself.");
        }
        Optional<List<String>> key = ctx.table(table).flatMap(t -> batchKey(t, ctx.schema()));
        if (key.isEmpty()) {
            return Outcome.precondition("A batched delete walks " + table.display() + " by its primary key (or a unique key on"
                            + " NOT NULL columns), and none is known" + (ctx.table(table).isEmpty() ? " (the table is not in the"
                            + " schema the plan was made from)" : "") + ".",
                    "Give the table a primary key first, or plan with --url so that Tandem reads the table from the database.");
        }
        return Outcome.steps().backfill(new BackfillStep(ctx.label(), ctx.line(),
                "Delete the rows in keyset batches of short transactions by (" + String.join(", ", key.get()) + "), throttled"
                        + " and resumable, instead of locking every row of " + table.display() + " until one commit.",
                SqlText.name(table), key.get(), BackfillStep.Operation.DELETE, null, d.where(),
                "the deleted rows are not kept")).build();
    }

    /** {@code DELETE FROM name [WHERE …]} and nothing else at the top level. */
    private static boolean plainDelete(List<Token> t) {
        if (!SqlText.at(t, 0, "delete") || !SqlText.at(t, 1, "from") || t.size() < 3 || !t.get(2).isIdentifier()
                || SqlText.at(t, 2, "only")) return false;
        int i = 3;
        while (i + 1 < t.size() && t.get(i).kind() == Token.Kind.DOT && t.get(i + 1).isIdentifier()) i += 2;
        while (i < t.size() && t.get(i).kind() == Token.Kind.SEMICOLON) i++;
        return (i == t.size() || SqlText.at(t, i, "where")) && SqlText.find(t, i, "returning") < 0;
    }

    /** The primary key's columns, else those of a unique constraint or index whose columns are all NOT NULL. */
    static Optional<List<String>> batchKey(TableInfo table, SchemaModel schema) {
        for (ConstraintInfo c : table.constraints()) {
            if (c.kind() == ConstraintInfo.Kind.PRIMARY_KEY && !c.columns().isEmpty()) return Optional.of(c.columns());
        }
        for (ConstraintInfo c : table.constraints()) {
            if (c.kind() == ConstraintInfo.Kind.UNIQUE && !c.columns().isEmpty() && allNotNull(table, c.columns())) {
                return Optional.of(c.columns());
            }
        }
        for (IndexInfo i : schema.indexesOn(table.name())) {
            if (i.unique() && i.valid() && i.where() == null && !i.elements().isEmpty() && allNotNull(table, i.elements())) {
                return Optional.of(i.elements());
            }
        }
        return Optional.empty();
    }

    /** Every element names a column (not an expression) that is NOT NULL. */
    private static boolean allNotNull(TableInfo table, List<String> columns) {
        return columns.stream().allMatch(c -> table.column(c).map(ColumnInfo::notNull).orElse(false));
    }
}
