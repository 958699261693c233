package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removals run after the gate, once the app version that used what goes is gone: DROP COLUMN,
 * DROP TABLE, TRUNCATE, DROP VIEW, DROP TYPE, DROP SCHEMA, DROP DEFAULT of a NOT NULL column and
 * DROP CONSTRAINT of a primary key or unique constraint. Each is one contract step, the statement
 * as written; those that delete data are destructive (and so irreversible).
 *
 * <p>DROP COLUMN also has an expand step when the new app version, which no longer writes the
 * column, could not insert without it: a NOT NULL column without a default (not an identity or
 * generated column, which fill themselves). With {@code -- migrate:backfill <expr>} it gets that
 * DEFAULT (undone by DROP DEFAULT); otherwise its NOT NULL is dropped, which cannot be undone once
 * the new app version has written rows without it.
 */
final class RemovalRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "drop-column", "drop-table", "truncate-table", "truncate-cascade", "drop-view", "drop-default-on-not-null-column",
            "drop-constraint-unique-or-primary-key", "drop-type", "drop-schema");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome dropColumn(PlanContext ctx, Change.AlterTable at, AlterAction.DropColumn dc) {
        QualifiedName table = at.table();
        String column = dc.column();
        Optional<TableInfo> info = ctx.table(table);
        if (info.isEmpty()) {
            return Outcome.precondition("Whether the new app version can insert into " + table.display() + " without " + column
                            + " depends on the column's NOT NULL and DEFAULT, and the table is not in the schema the plan was"
                            + " made from.",
                    "Plan with --url so that Tandem reads the table from the database.");
        }
        Optional<ColumnInfo> col = info.get().column(column);
        if (col.isEmpty() && !dc.ifExists()) {
            return Outcome.precondition("Column " + column + " is not in the schema's " + table.display() + ", so Tandem cannot tell"
                            + " whether the new app version can insert without it.",
                    "Plan with --url so that Tandem reads the table from the database.");
        }
        String alter = ConstraintRecipe.alterTable(at);
        String alterColumn = alter + " ALTER COLUMN " + SqlText.ident(column);
        List<dev.tandem.classify.TableLock> lock = List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE));
        Outcome.Builder out = Outcome.steps();
        if (col.isPresent() && blocksInsertsWithout(col.get())) {
            Optional<String> value = ctx.annotation("backfill").filter(v -> !v.isEmpty());
            if (value.isPresent()) {
                out.expand(ctx.transactional("Give " + column + " the default " + value.get() + ", so that the new app version's"
                                + " INSERTs, which no longer write it, pass its NOT NULL (catalog only, brief AccessExclusiveLock).",
                        alterColumn + " SET DEFAULT " + value.get(), lock, alterColumn + " DROP DEFAULT"));
            } else if (inPrimaryKey(info.get(), column)) {
                return Outcome.precondition(column + " is NOT NULL without a default and part of the primary key of "
                                + table.display() + ": the new app version cannot insert without it, and its NOT NULL cannot"
                                + " be dropped.",
                        "Annotate the statement with -- migrate:backfill <expr> to give the column a default until it is dropped.");
            } else {
                out.expand(ctx.step("Drop the NOT NULL of " + column + ", so that the new app version can insert without it"
                                + " (catalog only, brief AccessExclusiveLock). Annotate the statement with -- migrate:backfill"
                                + " <expr> to give it a default instead, which can be undone.",
                        alterColumn + " DROP NOT NULL", true, lock, null, null, null,
                        "the new app version may write rows without " + column + " (NULL) from now on; restoring NOT NULL"
                                + " would fail on them"));
            }
        }
        return out.contract(ctx.destructive("Drop column " + column + " now that no app version reads or writes it (catalog only,"
                        + " the space is reclaimed by later writes; brief AccessExclusiveLock).",
                ctx.sql(), ctx.classification().locks(), "the column's data is deleted")).build();
    }

    Outcome dropTable(PlanContext ctx, Change.DropTable dt) {
        String names = dt.tables().stream().map(QualifiedName::display).collect(Collectors.joining(", "));
        return Outcome.steps().contract(ctx.destructive("Drop " + names + " now that no app version uses it (brief"
                        + " AccessExclusiveLock on it and on the tables linked to it by foreign keys).",
                ctx.sql(), ctx.classification().locks(), "the table and its rows are deleted")).build();
    }

    Outcome truncate(PlanContext ctx, Change.Truncate t) {
        String names = t.tables().stream().map(QualifiedName::display).collect(Collectors.joining(", "));
        return Outcome.steps().contract(ctx.destructive("Empty " + names + (t.cascade() ? " and every table referencing it by"
                        + " foreign key (CASCADE)" : "") + " now that no app version needs the rows (brief AccessExclusiveLock).",
                ctx.sql(), ctx.classification().locks(), "the rows are deleted")).build();
    }

    Outcome dropView(PlanContext ctx, Change.DropView dv) {
        String names = dv.views().stream().map(QualifiedName::display).collect(Collectors.joining(", "));
        return Outcome.steps().contract(ctx.step("Drop the " + (dv.materialized() ? "materialized " : "") + "view " + names
                        + " now that no app version reads it (brief AccessExclusiveLock on the view).",
                ctx.sql(), true, ctx.classification().locks(), null, null, null,
                "the view's definition is not known to the plan")).build();
    }

    Outcome dropDefault(PlanContext ctx, Change.AlterTable at, AlterAction.DropDefault dd) {
        Optional<ColumnInfo> col = ctx.table(at.table()).flatMap(t -> t.column(dd.column()));
        String restore = col.filter(c -> c.defaultValue() != null).map(c -> ConstraintRecipe.alterTable(at) + " ALTER COLUMN "
                + SqlText.ident(c.name()) + " SET DEFAULT " + c.defaultValue().text()).orElse(null);
        return Outcome.steps().contract(ctx.step("Drop the default of " + dd.column() + " now that no app version inserts without"
                        + " it (catalog only, brief AccessExclusiveLock).",
                ctx.sql(), true, List.of(PlanContext.lock(at.table(), LockMode.ACCESS_EXCLUSIVE)), null, null, restore,
                restore == null ? "the previous default is not known to the plan" : null)).build();
    }

    Outcome dropConstraint(PlanContext ctx, Change.AlterTable at, AlterAction.DropConstraint dc) {
        return Outcome.steps().contract(ctx.step("Drop " + dc.name() + " and its index now that no app version relies on it"
                        + " (ON CONFLICT, uniqueness); brief AccessExclusiveLock.",
                ctx.sql(), true, ctx.classification().locks(), null, null, null,
                "adding it back builds its index under lock: add it again with a new migration, which Tandem plans online")).build();
    }

    Outcome dropType(PlanContext ctx, Change.DropType dt) {
        String names = dt.names().stream().map(QualifiedName::display).collect(Collectors.joining(", "));
        if (dt.cascade()) {
            return Outcome.steps().contract(ctx.destructive("Drop the type " + names + " and, by CASCADE, the columns that use it,"
                            + " now that no app version uses them.",
                    ctx.sql(), ctx.classification().locks(), "the columns that use the type are dropped with their data")).build();
        }
        return Outcome.steps().contract(ctx.step("Drop the type " + names + " now that no app version uses it; PostgreSQL"
                        + " refuses while anything still depends on it.",
                ctx.sql(), true, ctx.classification().locks(), null, null, null,
                "the type's definition is not known to the plan")).build();
    }

    Outcome dropSchema(PlanContext ctx, Change.DropSchema ds) {
        String names = String.join(", ", ds.names());
        if (ds.cascade()) {
            return Outcome.steps().contract(ctx.destructive("Drop the schema " + names + " and, by CASCADE, everything in it,"
                            + " now that no app version uses it (AccessExclusiveLock on each of its tables).",
                    ctx.sql(), ctx.classification().locks(), "every object in the schema is dropped, tables with their rows"))
                    .build();
        }
        return Outcome.steps().contract(ctx.step("Drop the schema " + names + " now that no app version uses it; PostgreSQL"
                        + " refuses unless it is empty.",
                ctx.sql(), true, ctx.classification().locks(), null, null, null,
                "the schema's owner and privileges are not known to the plan")).build();
    }

    /** A NOT NULL column that an INSERT cannot leave out: no default, not filled by identity or generation. */
    private static boolean blocksInsertsWithout(ColumnInfo c) {
        return c.notNull() && c.defaultValue() == null && !c.identity() && !c.generated();
    }

    private static boolean inPrimaryKey(TableInfo table, String column) {
        return table.constraints().stream()
                .anyMatch(c -> c.kind() == ConstraintInfo.Kind.PRIMARY_KEY && c.columns().contains(column));
    }
}
