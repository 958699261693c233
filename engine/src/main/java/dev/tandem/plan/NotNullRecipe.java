package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ALTER COLUMN c SET NOT NULL} without its scan under AccessExclusiveLock, and without
 * breaking the application version that is still running.
 *
 * <p>The classifier calls this statement expand-contract because the running app version may
 * still write NULLs: any constraint that rejects them, the helper CHECK included (NOT VALID
 * constraints are enforced for new rows), must wait until that version is gone. So the whole
 * recipe is in contract, after the gate:
 * <ol>
 *   <li>when a value for the NULLs is known — an annotation {@code -- migrate:backfill <expr>} on
 *       the statement, else the column's DEFAULT — a batched backfill {@code SET c = <value>
 *       WHERE c IS NULL}, for the rows the old version wrote;</li>
 *   <li>{@code ADD CONSTRAINT <t>_<c>_not_null_tandem CHECK (c IS NOT NULL) NOT VALID} (brief
 *       AccessExclusiveLock);</li>
 *   <li>{@code VALIDATE CONSTRAINT} in its own transaction (ShareUpdateExclusiveLock: reads and
 *       writes go on). It fails, changing nothing, if NULLs remain;</li>
 *   <li>{@code SET NOT NULL}: PostgreSQL 12+ sees the validated CHECK and skips the scan ("existing
 *       constraints on column … are sufficient to prove that it does not contain nulls");</li>
 *   <li>{@code DROP CONSTRAINT} of the helper.</li>
 * </ol>
 * Without a backfill value the recipe is the same minus step 1, and, like the statement itself,
 * it fails at VALIDATE if NULLs remain.
 */
final class NotNullRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("set-not-null-scans-table");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome tighten(PlanContext ctx, Change.AlterTable at, AlterAction.SetNotNull sn) {
        QualifiedName table = at.table();
        String column = sn.column();
        if (ctx.partitioned(table)) {
            return Outcome.notYet("SET NOT NULL on the partitioned table " + table.display() + " recurses into every partition;"
                            + " Tandem has no verified recipe for partitioned tables yet.",
                    "Prove the column NOT NULL on each partition with a validated CHECK (col IS NOT NULL), then SET NOT NULL.");
        }
        String alter = ConstraintRecipe.alterTable(at);
        String helper = ObjectNames.notNullCheck(table.name(), column);
        Outcome.Builder out = Outcome.steps();

        Optional<TableInfo> info = ctx.table(table);
        Optional<String> value = ctx.annotation("backfill").filter(v -> !v.isEmpty())
                .or(() -> info.flatMap(t -> t.column(column)).map(ColumnInfo::defaultValue).map(e -> e.text()));
        String nulls;
        if (value.isPresent()) {
            Optional<List<String>> key = info.flatMap(t -> BackfillRecipe.batchKey(t, ctx.schema()));
            if (key.isEmpty()) {
                return Outcome.precondition("Filling the NULLs of " + table.display() + "." + column + " in batches needs a primary"
                                + " key or a unique key on NOT NULL columns of " + table.display() + ", and none is known.",
                        "Give the table a primary key first, or backfill the NULLs yourself before this migration.");
            }
            out.contract(ctx.backfill(
                    "Fill the NULLs of " + column + " left by the old app version with " + value.get() + ", in batches, once it"
                            + " is gone.",
                    table, key.get(), SqlText.ident(column) + " = " + value.get(),
                    SqlText.ident(column) + " IS NULL",
                    "the NULLs it replaces are not restored"));
            nulls = "";
        } else {
            nulls = " It fails if the old app version left NULLs: there is no DEFAULT to fill them from (annotate the statement"
                    + " with -- migrate:backfill <expr> to fill them first).";
        }
        out.contract(addHelper(ctx, alter, table, column, helper));
        out.contract(validateHelper(ctx, alter, table, helper, nulls));
        out.contract(setNotNullStep(ctx, alter, table, column));
        out.contract(dropHelper(ctx, alter, table, helper));
        return out.build();
    }

    static SqlStep addHelper(PlanContext ctx, String alter, QualifiedName table, String column, String helper) {
        return ctx.transactional("Add CHECK (" + column + " IS NOT NULL) NOT VALID as " + helper + ": enforced for new and"
                        + " changed rows, existing rows not read (brief AccessExclusiveLock).",
                alter + " ADD CONSTRAINT " + SqlText.ident(helper) + " CHECK (" + SqlText.ident(column) + " IS NOT NULL) NOT VALID",
                List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)),
                alter + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(helper));
    }

    /** {@code note} is appended to the purpose. */
    static SqlStep validateHelper(PlanContext ctx, String alter, QualifiedName table, String helper, String note) {
        return ctx.transactional("Validate " + helper + " in a transaction of its own: reads every row under"
                        + " ShareUpdateExclusiveLock while reads and writes go on." + note,
                alter + " VALIDATE CONSTRAINT " + SqlText.ident(helper),
                List.of(PlanContext.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE)), null);
    }

    /** Runs only while the column is nullable, so that undoing it never drops a NOT NULL it did not set. */
    static SqlStep setNotNullStep(PlanContext ctx, String alter, QualifiedName table, String column) {
        return ctx.step("Set " + column + " NOT NULL: the validated CHECK proves it, so PostgreSQL skips the scan (brief"
                        + " AccessExclusiveLock).",
                alter + " ALTER COLUMN " + SqlText.ident(column) + " SET NOT NULL", true,
                List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)),
                "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = " + SqlText.regclass(table) + " AND attname = "
                        + SqlText.literal(column) + " AND NOT attnotnull AND NOT attisdropped",
                null, alter + " ALTER COLUMN " + SqlText.ident(column) + " DROP NOT NULL", null);
    }

    /** Nothing to undo: the step that added the helper drops it on rollback. */
    static SqlStep dropHelper(PlanContext ctx, String alter, QualifiedName table, String helper) {
        return ctx.transactional("Drop the helper " + helper + ", no longer needed (brief AccessExclusiveLock).",
                alter + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(helper),
                List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)), null);
    }
}
