package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Finding;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ALTER COLUMN c TYPE t [USING e]} without the rewrite under AccessExclusiveLock and without
 * breaking the app version that still writes the old type.
 *
 * <p>timestamp ↔ timestamptz on PostgreSQL 12+, when the column has no index and no CHECK and
 * nothing else fired: one expand step {@code SET LOCAL TimeZone = 'UTC'; <the ALTER>}. Verified on
 * PostgreSQL 15: with a UTC session TimeZone the table keeps its relfilenode (no rewrite, the stored
 * microseconds are the same), but an index on the column is rebuilt (new relfilenode) under the
 * ALTER's AccessExclusiveLock, and a CHECK is re-checked by a scan: with either, the column copy
 * below is used instead, so {@code column-type-change-rebuilds-indexes} is only covered by the copy.
 * The stored timestamps are read as UTC.
 *
 * <p>Otherwise a copy ({@link ColumnCopy}): expand adds {@code c_tandem_new} of the new type and a
 * trigger that sets it from c on every INSERT and UPDATE; backfill fills it for the existing rows
 * and builds copies of c's indexes on it concurrently; contract sets NOT NULL through a validated
 * CHECK if c had it, then swaps in one transaction (trigger and function dropped, c dropped,
 * c_tandem_new renamed to c, the default set, index copies renamed, CHECK constraints added back
 * NOT VALID), then VALIDATE. One direction suffices: every app version writes c until the swap
 * (the new type only becomes visible, under c's name, with it), so nothing ever writes the copy
 * but the trigger and the backfill. The conversion is the USING expression on the trigger's row, or
 * a plain assignment, which uses the assignment cast as ALTER TYPE does (verified on PostgreSQL 15:
 * a varchar(100) value of 30 characters assigned to a varchar(20) field fails with "value too long",
 * as the ALTER does) — so from expand on, the old app version's writes that the new type rejects
 * fail, as they would after the statement as written. The column ends up last in the table.
 */
final class TypeChangeRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "column-type-change-rewrites", "column-type-narrowing", "timestamp-to-timestamptz",
            "column-type-change-rebuilds-indexes", "column-type-change-revalidates-checks");

    private static final Set<String> DATE_TIME = Set.of("timestamp", "timestamptz", "date", "time", "timetz", "interval");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome change(PlanContext ctx, Change.AlterTable at, AlterAction.AlterColumnType t) {
        QualifiedName table = at.table();
        String c = t.column();
        Optional<TableInfo> info = ctx.table(table);
        Optional<ColumnInfo> column = info.flatMap(i -> i.column(c));
        if (column.isPresent() && utcSuffices(ctx, info.get(), column.get(), t)) return utc(ctx, at, t, column.get());

        String copy = ObjectNames.of(c, null, "tandem_new");
        ColumnCopy.Inspection found = ColumnCopy.inspect(ctx, at, c, copy, "Changing the type of", false);
        if (found.refusal() != null) return found.refusal();
        ColumnCopy.Facts facts = found.facts();
        ColumnInfo old = facts.column();
        String alter = ConstraintRecipe.alterTable(at);
        String helper = ObjectNames.of(table.name(), c, "type_tandem");
        QualifiedName function = QualifiedName.of(table.schema(), helper);
        String ic = SqlText.ident(c);
        String inew = SqlText.ident(copy);
        String type = t.type().raw() + (t.collation() == null ? "" : " COLLATE " + t.collation());
        List<String> columns = facts.table().columns().stream().map(ColumnInfo::name).toList();
        String conversion = conversion(t, old.type(), ic);
        // Built, not rewritten, where Tandem writes the expression itself: onRow would also take the
        // keyword AT for a column named at.
        String onRow = t.using() != null ? SqlText.onRow(conversion, columns, "NEW") : conversion(t, old.type(), "NEW." + ic);
        Outcome.Builder out = Outcome.steps();

        out.expand(ColumnCopy.addColumn(ctx, at, "Add " + copy + " " + type + " nullable without default, to hold " + c
                        + " converted: no row is written (brief AccessExclusiveLock).",
                null, copy, type));
        // Always recomputed, not only when c changed: a USING expression may read other columns, and
        // the swap must find conversion(row) as it is then, as the ALTER would have computed it.
        // Date/time conversions depend on the session's TimeZone: the function uses the one of the
        // session that creates it (the migration's), not each writer's.
        boolean dateTime = DATE_TIME.contains(old.type().name()) || DATE_TIME.contains(t.type().name());
        out.expand(ColumnCopy.function(ctx, "Create the trigger function " + helper + " that sets " + copy + " := " + onRow
                        + " for each written row" + (dateTime ? ", with the TimeZone of the migration's session" : "")
                        + (timeZoneChange(old.type(), t.type()) ? " (the stored timestamps read as UTC, as the catalog-only form"
                        + " of this change on PostgreSQL 12+ reads them)" : "") + ".",
                function, dateTime ? " SET TimeZone FROM CURRENT" : "", "NEW." + inew + " := " + onRow + ";"));
        out.expand(ColumnCopy.trigger(ctx, "Run " + helper + " BEFORE INSERT OR UPDATE of every row: both app versions keep"
                        + " writing " + c + ", and " + copy + " follows (brief ShareRowExclusiveLock).",
                table, helper, function));

        // Nothing to undo: the copy is added by this release and its rollback drops it.
        out.backfill(ctx.backfill("Convert " + c + " into " + copy + " for the existing rows in keyset batches of short"
                        + " transactions, instead of the rewrite under AccessExclusiveLock.",
                table, facts.key(), inew + " = " + conversion,
                inew + " IS DISTINCT FROM CAST((" + conversion + ") AS " + t.type().raw() + ")", null));
        ColumnCopy.buildIndexes(ctx, facts, table, out);

        if (old.notNull()) ColumnCopy.notNull(ctx, at, copy, out);
        List<String> swap = new ArrayList<>();
        swap.add(ColumnCopy.dropTrigger(helper, table));
        swap.add(ColumnCopy.dropFunction(function));
        swap.add(alter + " DROP COLUMN " + ic);
        swap.add(alter + " RENAME COLUMN " + inew + " TO " + ic);
        // ALTER TYPE converts the default with the assignment cast, as SET DEFAULT does (not with USING).
        if (old.defaultValue() != null) swap.add(alter + " ALTER COLUMN " + ic + " SET DEFAULT " + old.defaultValue().text());
        swap.addAll(ColumnCopy.afterDrop(at, facts));
        out.contract(ctx.destructive("In one transaction: drop the trigger and its function, drop " + c + ", rename " + copy
                        + " to " + c + (old.defaultValue() != null ? " with " + c + "'s default" : "")
                        + (facts.indexes().isEmpty() ? "" : ", give the index copies their names (" + ColumnCopy.names(
                        facts.indexes()) + ")")
                        + (facts.checks().isEmpty() ? "" : ", add the CHECK constraints back NOT VALID")
                        + " (brief AccessExclusiveLock; DROP COLUMN only marks the column dropped).",
                String.join(";\n", swap), List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)),
                "the column " + c + " of the old type is dropped; " + copy + " took its place with the converted values"));
        ColumnCopy.validateChecks(ctx, at, facts, out);
        return out.build();
    }

    /**
     * The new value from the row: the USING expression, or the column itself (an assignment, so the
     * assignment cast, as ALTER TYPE uses). timestamp ↔ timestamptz without USING reads the stored
     * values as UTC, as the catalog-only form does, instead of in each session's TimeZone.
     */
    private static String conversion(AlterAction.AlterColumnType t, TypeName from, String column) {
        if (t.using() != null) return t.using().text();
        if (timeZoneChange(from, t.type())) return column + " AT TIME ZONE 'UTC'";
        return column;
    }

    // ------------------------------------------------------------------ timestamp ↔ timestamptz in UTC

    /**
     * Whether the catalog-only form applies: PostgreSQL 12+, timestamp ↔ timestamptz without USING,
     * COLLATE or a smaller precision, nothing else hazardous, and no index or CHECK on the column
     * (which the ALTER would rebuild or re-check under its AccessExclusiveLock).
     */
    private static boolean utcSuffices(PlanContext ctx, TableInfo table, ColumnInfo column, AlterAction.AlterColumnType t) {
        if (!ctx.version().atLeast(12) || t.using() != null || t.collation() != null) return false;
        if (!timeZoneChange(column.type(), t.type()) || precision(t.type()) < precision(column.type())) return false;
        for (Finding f : ctx.classification().findings()) {
            if (f.severity().atLeast(StatementClass.ONLINE_REWRITE) && !Planner.STEP_MODEL_COVERS.contains(f.rule())
                    && !f.rule().equals("timestamp-to-timestamptz")) return false;
        }
        String c = t.column();
        for (IndexInfo i : ctx.schema().indexesOn(table.name())) {
            boolean uses = i.definition() != null ? ColumnCopy.usesColumn(i.definition(), c)
                    : i.elements().stream().anyMatch(e -> ColumnCopy.usesColumn(e, c))
                    || (i.where() != null && ColumnCopy.usesColumn(i.where(), c));
            if (uses) return false;
        }
        for (ConstraintInfo k : table.constraints()) {
            if (k.columns().contains(c) || (k.check() != null && ColumnCopy.usesColumn(k.check().text(), c))) return false;
        }
        return true;
    }

    private static boolean timeZoneChange(TypeName from, TypeName to) {
        return !from.isArray() && !to.isArray() && ((from.name().equals("timestamp") && to.name().equals("timestamptz"))
                || (from.name().equals("timestamptz") && to.name().equals("timestamp")));
    }

    /** Fractional digits of a timestamp type: none written means 6, the maximum. */
    private static int precision(TypeName type) {
        return type.modifiers().isEmpty() ? 6 : Math.min(type.modifiers().get(0), 6);
    }

    private Outcome utc(PlanContext ctx, Change.AlterTable at, AlterAction.AlterColumnType t, ColumnInfo column) {
        String set = "SET LOCAL TimeZone = 'UTC'";
        String c = t.column();
        return Outcome.steps().expand(ctx.transactional("Change the type of " + c + " with the transaction's TimeZone set to UTC:"
                        + " PostgreSQL 12+ then keeps the stored values and skips the rewrite (brief AccessExclusiveLock; " + c
                        + " has no index to rebuild and no CHECK to re-check). The stored timestamps are read as UTC; if they are"
                        + " local times of another zone, write USING " + c + " AT TIME ZONE '<zone>' instead.",
                set + ";\n" + ctx.sql(), List.of(PlanContext.lock(at.table(), LockMode.ACCESS_EXCLUSIVE)),
                set + ";\n" + ConstraintRecipe.alterTable(at) + " ALTER COLUMN " + SqlText.ident(c) + " TYPE " + column.type().raw()))
                .build();
    }
}
