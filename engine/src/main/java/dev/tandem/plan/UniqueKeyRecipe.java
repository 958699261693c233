package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * UNIQUE and PRIMARY KEY constraints without building their index under an AccessExclusiveLock:
 * the unique index is built {@code CONCURRENTLY} first (see {@link IndexRecipe}), under the
 * constraint's name, and then adopted with {@code ADD CONSTRAINT name UNIQUE|PRIMARY KEY USING
 * INDEX name} (catalog only, brief AccessExclusiveLock; the same name means PostgreSQL has nothing
 * to rename).
 *
 * <p>A primary key also makes its columns NOT NULL, which scans the table under that
 * AccessExclusiveLock — unless a validated {@code CHECK (col IS NOT NULL)} proves it (PostgreSQL
 * 12+: "existing constraints on column … are sufficient to prove that it does not contain
 * nulls"). So each column the schema does not know to be NOT NULL first gets a helper CHECK added
 * NOT VALID, validated (ShareUpdateExclusiveLock), then SET NOT NULL (no scan); the helper is
 * dropped after the key exists. All in expand: the statement is backward compatible as written.
 * The same NOT NULL steps make {@code PRIMARY KEY USING INDEX} on nullable columns online.
 */
final class UniqueKeyRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "add-unique-constraint-builds-index", "add-primary-key-builds-index", "primary-key-using-index-scans-nullable");

    private static final Set<String> DEFERRAL = Set.of("not", "deferrable", "initially", "deferred", "immediate");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome add(PlanContext ctx, Change.AlterTable at, Constraint constraint) {
        QualifiedName table = at.table();
        boolean primary = constraint instanceof Constraint.PrimaryKey;
        String usingIndex = switch (constraint) {
            case Constraint.Unique u -> u.usingIndex();
            case Constraint.PrimaryKey pk -> pk.usingIndex();
            default -> throw new IllegalArgumentException("not a unique key: " + constraint);
        };
        if (ctx.partitioned(table)) {
            return Outcome.notYet("PostgreSQL cannot build the unique index of " + table.display() + " CONCURRENTLY: it is"
                            + " partitioned.",
                    "Build the unique index on each partition concurrently and attach them to an index created ON ONLY the"
                            + " parent; Tandem has no recipe for this yet.");
        }
        Optional<String> name = ObjectNames.addedConstraint(ctx.schema(), at);
        if (name.isEmpty()) {
            return Outcome.precondition("Tandem cannot tell which name PostgreSQL will give this constraint.",
                    "Name the constraint in the migration (ADD CONSTRAINT name …).");
        }
        String alter = ConstraintRecipe.alterTable(at);
        Outcome.Builder out = Outcome.steps();
        List<String> columns;
        if (usingIndex == null) {
            String tail = deferral(ctx.sql());
            if (tail == null) {
                return Outcome.notYet("This " + (primary ? "PRIMARY KEY" : "UNIQUE") + " constraint has index options"
                                + " (INCLUDE, WITH, USING INDEX TABLESPACE) that the recipe does not carry over yet.",
                        "Build the index yourself with CREATE UNIQUE INDEX CONCURRENTLY and add the constraint with USING INDEX.");
            }
            columns = constraint.columns();
            boolean nullsNotDistinct = constraint instanceof Constraint.Unique u && u.nullsNotDistinct();
            QualifiedName index = IndexRecipe.indexName(table, name.get());
            if (IndexRecipe.exists(ctx, index)) return IndexRecipe.alreadyExists(index);
            String create = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + SqlText.ident(name.get()) + " ON "
                    + (at.only() ? "ONLY " : "") + SqlText.name(table) + " (" + SqlText.identList(columns) + ")"
                    + (nullsNotDistinct ? " NULLS NOT DISTINCT" : "");
            out.expand(IndexRecipe.build(ctx, create, index, table));
            List<String> helpers = primary ? notNullFirst(ctx, at, columns, out) : List.of();
            String adopt = alter + " ADD CONSTRAINT " + SqlText.ident(name.get()) + (primary ? " PRIMARY KEY" : " UNIQUE")
                    + " USING INDEX " + SqlText.ident(name.get()) + (tail.isEmpty() ? "" : " " + tail);
            out.expand(ctx.transactional("Turn the index into the " + (primary ? "primary key " : "unique constraint ")
                            + name.get() + " (catalog only: brief AccessExclusiveLock, no scan).",
                    adopt, List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)),
                    alter + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(name.get())));
            dropHelpers(ctx, alter, table, helpers, out);
        } else {
            // Only PRIMARY KEY USING INDEX on nullable columns gets here (UNIQUE USING INDEX is compatible).
            columns = ctx.schema().index(IndexRecipe.indexName(table, usingIndex).resolved()).map(IndexInfo::elements).orElse(null);
            if (columns == null) {
                return Outcome.precondition("The columns of index " + usingIndex + " are not known to the plan, so Tandem cannot"
                                + " prove them NOT NULL before the primary key is added.",
                        "Make the columns NOT NULL first (CHECK … NOT VALID, VALIDATE, SET NOT NULL) in an earlier migration.");
            }
            List<String> helpers = notNullFirst(ctx, at, columns, out);
            out.expand(ctx.step("Adopt index " + usingIndex + " as the primary key (catalog only: brief"
                            + " AccessExclusiveLock; the columns are proven NOT NULL, so no scan).",
                    ctx.sql(), true, List.of(PlanContext.lock(table, LockMode.ACCESS_EXCLUSIVE)), null, null, null,
                    // A constraint's index goes with it: dropping the key would drop an index that existed before.
                    "dropping the primary key would also drop the index " + usingIndex + " it adopted, which existed"
                            + " before this release"));
            dropHelpers(ctx, alter, table, helpers, out);
        }
        return out.build();
    }

    /**
     * For each key column the schema does not know to be NOT NULL: helper CHECK NOT VALID,
     * VALIDATE, SET NOT NULL (runs only if the column is still nullable, so that its rollback only
     * undoes what it did). Returns the helper names, to drop once the key exists.
     */
    static List<String> notNullFirst(PlanContext ctx, Change.AlterTable at, List<String> columns, Outcome.Builder out) {
        QualifiedName table = at.table();
        Optional<TableInfo> info = ctx.table(table);
        String alter = ConstraintRecipe.alterTable(at);
        List<String> helpers = new ArrayList<>();
        for (String column : columns) {
            boolean notNull = info.flatMap(t -> t.column(column)).map(ColumnInfo::notNull).orElse(false);
            if (notNull) continue;
            String helper = ObjectNames.notNullCheck(table.name(), column);
            helpers.add(helper);
            out.expand(NotNullRecipe.addHelper(ctx, alter, table, column, helper));
            out.expand(NotNullRecipe.validateHelper(ctx, alter, table, helper, ""));
            out.expand(NotNullRecipe.setNotNullStep(ctx, alter, table, column));
        }
        return helpers;
    }

    private static void dropHelpers(PlanContext ctx, String alter, QualifiedName table, List<String> helpers, Outcome.Builder out) {
        for (String helper : helpers) out.expand(NotNullRecipe.dropHelper(ctx, alter, table, helper));
    }

    /**
     * What follows the column list of {@code ADD [CONSTRAINT n] UNIQUE [NULLS [NOT] DISTINCT] (…)}
     * / {@code PRIMARY KEY (…)}: empty, or only DEFERRABLE / INITIALLY … (which USING INDEX takes
     * as well), as text; {@code null} when anything else follows.
     */
    static String deferral(String sql) {
        List<Token> t = SqlText.tokens(sql);
        int i = SqlText.afterAlterTableName(t);
        if (!SqlText.at(t, i, "add")) return null;
        i++;
        if (SqlText.at(t, i, "constraint")) i += 2;
        if (SqlText.at(t, i, "unique")) {
            i++;
            if (SqlText.at(t, i, "nulls")) {
                i++;
                if (SqlText.at(t, i, "not")) i++;
                if (!SqlText.at(t, i++, "distinct")) return null;
            }
        } else if (SqlText.at(t, i, "primary") && SqlText.at(t, i + 1, "key")) {
            i += 2;
        } else {
            return null;
        }
        if (i >= t.size() || t.get(i).kind() != Token.Kind.LPAREN) return null;
        int close = SqlText.closing(t, i);
        if (close < 0) return null;
        if (close == t.size() - 1) return "";
        for (int j = close + 1; j < t.size(); j++) {
            if (!(t.get(j).kind() == Token.Kind.IDENT && DEFERRAL.contains(t.get(j).text()))) return null;
        }
        return sql.substring(t.get(close + 1).start(), t.get(t.size() - 1).end());
    }
}
