package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A statement that is compatible as written runs as written, in expand: one step, in a
 * transaction of its own unless PostgreSQL refuses to run it in one (CONCURRENTLY, VACUUM, …).
 * Each statement in its own transaction rather than the migration's one transaction: that is what
 * lets the executor apply lock_timeout and retry per statement, and it also removes the hazards
 * that come from statements sharing a transaction (see {@link Planner#STEP_MODEL_COVERS}).
 *
 * <p>What this class adds is the inverse: the rollback of the statement where it can be derived
 * (CREATE → DROP … IF EXISTS, ADD COLUMN → DROP COLUMN, SET DEFAULT → the previous default, …),
 * and a guard for {@code IF NOT EXISTS} forms so that a rollback never drops an object that
 * existed before the release. Anything else is marked irreversible with the reason.
 */
final class AsIsRecipe implements Recipe {

    @Override
    public Set<String> covers() {
        return Set.of();
    }

    Outcome asIs(PlanContext ctx) {
        Change change = ctx.change();
        Inverse inverse = inverse(ctx);
        return Outcome.steps().expand(ctx.step(purpose(change), ctx.sql(), !needsAutocommit(change),
                ctx.classification().locks(), inverse.onlyIf(), null, inverse.rollback(), inverse.irreversible())).build();
    }

    /** How to undo a statement: its rollback SQL, a guard, or why it cannot be undone. */
    record Inverse(String rollback, String onlyIf, String irreversible) {
        static Inverse of(String rollback) {
            return new Inverse(rollback, null, null);
        }

        static Inverse nothing() {
            return new Inverse(null, null, null);
        }

        static Inverse irreversible(String why) {
            return new Inverse(null, null, why);
        }

        Inverse onlyIf(String query) {
            return new Inverse(rollback, query, irreversible);
        }
    }

    private static String purpose(Change change) {
        return switch (change) {
            case Change.SetParameter sp -> "Set " + sp.name() + " as the migration does.";
            default -> "Run the statement as written: it is compatible with both app versions.";
        };
    }

    /** Statements PostgreSQL refuses inside a transaction block. */
    static boolean needsAutocommit(Change change) {
        return switch (change) {
            case Change.CreateIndex ci -> ci.concurrently();
            case Change.DropIndex di -> di.concurrently();
            case Change.Reindex r -> r.concurrently() || "system".equals(r.kind()) || "database".equals(r.kind())
                    || "schema".equals(r.kind());
            case Change.Vacuum v -> !v.analyzeOnly();
            case Change.Cluster c -> c.table() == null;
            case Change.DatabaseChange d -> !d.verb().equals("alter");
            case Change.AlterTable at -> at.actions().stream()
                    .anyMatch(a -> a instanceof AlterAction.DetachPartition dp && dp.concurrently());
            default -> false;
        };
    }

    private static Inverse inverse(PlanContext ctx) {
        String sql = ctx.sql();
        return switch (ctx.change()) {
            case Change.CreateTable ct when !ct.temporary() -> {
                Inverse i = Inverse.of("DROP TABLE IF EXISTS " + SqlText.name(ct.name()));
                yield ct.ifNotExists() ? i.onlyIf(absentRelation(ct.name())) : i;
            }
            case Change.CreateIndex ci -> {
                Optional<String> name = ObjectNames.createdIndex(ctx.schema(), ci);
                if (name.isEmpty()) yield Inverse.irreversible("the name of the index is not known to the plan");
                QualifiedName index = IndexRecipe.indexName(ci.table(), name.get());
                Inverse i = Inverse.of((ci.concurrently() ? "DROP INDEX CONCURRENTLY IF EXISTS " : "DROP INDEX IF EXISTS ")
                        + SqlText.name(index));
                yield ci.ifNotExists() ? i.onlyIf(absentRelation(index)) : i;
            }
            case Change.CreateView cv when !cv.orReplace() ->
                    Inverse.of("DROP " + (cv.materialized() ? "MATERIALIZED " : "") + "VIEW IF EXISTS " + SqlText.name(cv.name()));
            case Change.CreateView cv -> Inverse.irreversible("CREATE OR REPLACE: the previous definition is not known to the plan");
            case Change.CreateSchema cs -> {
                Inverse i = Inverse.of("DROP SCHEMA IF EXISTS " + SqlText.ident(cs.name()));
                yield cs.ifNotExists() ? i.onlyIf("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = "
                        + SqlText.literal(cs.name()) + ")") : i;
            }
            case Change.CreateType ct when !ct.kind().equals("shell") -> Inverse.of("DROP TYPE IF EXISTS " + SqlText.name(ct.name()));
            case Change.SequenceChange sc when sc.verb().equals("create") && sc.names().size() == 1 -> {
                Inverse i = Inverse.of("DROP SEQUENCE IF EXISTS " + SqlText.name(sc.names().get(0)));
                yield ifNotExists(sql) ? i.onlyIf(absentRelation(sc.names().get(0))) : i;
            }
            case Change.ExtensionChange ec when ec.verb().equals("create") -> {
                Inverse i = Inverse.of("DROP EXTENSION IF EXISTS " + SqlText.ident(ec.name()));
                yield ifNotExists(sql) ? i.onlyIf("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = "
                        + SqlText.literal(ec.name()) + ")") : i;
            }
            case Change.AlterTable at when at.actions().size() == 1 -> alterTable(ctx, at, at.actions().get(0));
            case Change.AlterType at when at.action().equals("add value") ->
                    Inverse.irreversible("PostgreSQL cannot remove a value from an enum type");
            case Change.SetParameter sp -> Inverse.nothing();
            case Change.Vacuum v -> Inverse.nothing();
            case Change.Reindex r -> Inverse.nothing();
            case Change.RefreshMaterializedView r -> Inverse.nothing();
            case Change.Query q when q.calls() == null || q.calls().functions().isEmpty() -> Inverse.nothing();
            case Change.Insert i when ctx.release().createdInRelease(i.table()) -> Inverse.nothing();
            case Change.Insert i -> Inverse.irreversible("data changes are not undone");
            case Change.Update u -> Inverse.irreversible("data changes are not undone");
            case Change.Delete d -> Inverse.irreversible("data changes are not undone");
            case Change.Merge m -> Inverse.irreversible("data changes are not undone");
            case Change.Copy c -> Inverse.irreversible("data changes are not undone");
            case Change.Comment c -> Inverse.irreversible("the previous comment is not known to the plan");
            default -> Inverse.irreversible("Tandem derives no rollback for this kind of statement yet");
        };
    }

    private static Inverse alterTable(PlanContext ctx, Change.AlterTable at, AlterAction action) {
        String alter = ConstraintRecipe.alterTable(at);
        Optional<ColumnInfo> column = switch (action) {
            case AlterAction.SetDefault sd -> ctx.table(at.table()).flatMap(t -> t.column(sd.column()));
            case AlterAction.DropDefault dd -> ctx.table(at.table()).flatMap(t -> t.column(dd.column()));
            default -> Optional.empty();
        };
        return switch (action) {
            case AlterAction.AddColumn ac -> {
                Inverse i = Inverse.of(alter + " DROP COLUMN IF EXISTS " + SqlText.ident(ac.column().name()));
                yield ac.ifNotExists() ? i.onlyIf("SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                        + SqlText.regclass(at.table()) + " AND attname = " + SqlText.literal(ac.column().name())
                        + " AND NOT attisdropped)") : i;
            }
            case AlterAction.AddConstraint ac when usesIndex(ac) ->
                    Inverse.irreversible("dropping the constraint would also drop the index it adopted");
            case AlterAction.AddConstraint ac -> ObjectNames.addedConstraint(ctx.schema(), at)
                    .map(n -> Inverse.of(alter + " DROP CONSTRAINT IF EXISTS " + SqlText.ident(n)))
                    .orElse(Inverse.irreversible("the name of the constraint is not known to the plan"));
            case AlterAction.ValidateConstraint vc -> Inverse.nothing();
            case AlterAction.SetDefault sd when column.isPresent() -> Inverse.of(restoreDefault(alter, column.get()));
            case AlterAction.DropDefault dd when column.isPresent() -> Inverse.of(restoreDefault(alter, column.get()));
            case AlterAction.DropNotNull dn ->
                    Inverse.irreversible("the new app version may write NULLs; restoring NOT NULL needs the SET NOT NULL recipe");
            default -> Inverse.irreversible("Tandem derives no rollback for this ALTER TABLE action yet");
        };
    }

    private static boolean usesIndex(AlterAction.AddConstraint ac) {
        return switch (ac.constraint()) {
            case Constraint.Unique u -> u.usingIndex() != null;
            case Constraint.PrimaryKey pk -> pk.usingIndex() != null;
            default -> false;
        };
    }

    private static String restoreDefault(String alter, ColumnInfo before) {
        String column = SqlText.ident(before.name());
        return before.defaultValue() == null
                ? alter + " ALTER COLUMN " + column + " DROP DEFAULT"
                : alter + " ALTER COLUMN " + column + " SET DEFAULT " + before.defaultValue().text();
    }

    private static String absentRelation(QualifiedName name) {
        return "SELECT 1 WHERE " + SqlText.regclass(name) + " IS NULL";
    }

    private static boolean ifNotExists(String sql) {
        List<Token> t = SqlText.tokens(sql);
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).isKeyword("if") && t.get(i + 1).isKeyword("not") && t.get(i + 2).isKeyword("exists")) return true;
        }
        return false;
    }
}
