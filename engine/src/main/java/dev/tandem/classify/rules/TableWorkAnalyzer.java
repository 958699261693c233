package dev.tandem.classify.rules;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.TypeName;
import java.util.Optional;

/**
 * Decides, conservatively and without the other rules' help, whether a statement does work
 * proportional to the size of a pre-existing table (reads or rewrites all of it, or touches every
 * row). Used by the rules about what happens while a lock is held
 * ({@link WorkAfterAccessExclusiveLockRule}) and about repeated passes over one table
 * ({@link MultipleAlterTableSameTableRule}); the precise verdicts stay with the rules of each hazard.
 */
final class TableWorkAnalyzer {
    private TableWorkAnalyzer() {}

    /**
     * The slow part of the current statement, e.g. {@code "an UPDATE of public.t"}, when it does
     * table-sized work on a pre-existing table; empty for catalog-only statements, statements on new
     * tables and plain queries (whose cost Tandem cannot know).
     */
    static Optional<String> slowWork(RuleContext ctx) {
        return switch (ctx.change()) {
            case Change.Update u when ctx.isPreExisting(u.table()) -> Optional.of("an UPDATE of " + u.table().display());
            case Change.Delete d when ctx.isPreExisting(d.table()) -> Optional.of("a DELETE from " + d.table().display());
            case Change.Merge m when ctx.isPreExisting(m.table()) -> Optional.of("a MERGE into " + m.table().display());
            case Change.Insert i when i.query() && ctx.isPreExisting(i.table()) ->
                    Optional.of("an INSERT … SELECT into " + i.table().display());
            case Change.Copy c when c.from() && ctx.isPreExisting(c.table()) -> Optional.of("a COPY into " + c.table().display());
            case Change.CreateIndex ci when !ci.concurrently() && ctx.isPreExisting(ci.table()) ->
                    Optional.of("an index build on " + ci.table().display());
            case Change.Reindex r when !r.concurrently() && reindexesPreExisting(ctx, r) ->
                    Optional.of("a REINDEX " + r.kind() + (r.name() == null ? "" : " " + r.name().display()));
            // WITH NO DATA only empties the view: instant, however big it was.
            case Change.RefreshMaterializedView r when r.withData() && ctx.isPreExisting(r.view()) ->
                    Optional.of("a refresh of " + r.view().display());
            case Change.Cluster c when c.table() != null && ctx.isPreExisting(c.table()) ->
                    Optional.of("a CLUSTER of " + c.table().display());
            case Change.AlterTable at when ctx.isPreExisting(at.table()) -> alterTableWork(ctx, at);
            default -> Optional.empty();
        };
    }

    /**
     * Whether a REINDEX may rebuild indexes of a pre-existing table: false only when it names a
     * table, or an index of a table, created earlier in the same migration (empty, so quick).
     */
    static boolean reindexesPreExisting(RuleContext ctx, Change.Reindex r) {
        if (r.name() == null || r.kind() == null) return true;
        return switch (r.kind()) {
            case "table" -> ctx.isPreExisting(r.name());
            case "index" -> ctx.schema().index(r.name()).map(i -> ctx.isPreExisting(i.table())).orElse(true);
            default -> true;
        };
    }

    private static Optional<String> alterTableWork(RuleContext ctx, Change.AlterTable at) {
        Optional<TableInfo> info = ctx.table(at.table());
        for (AlterAction a : at.actions()) {
            if (rewritesOrChecksAllRows(ctx, a, info)) return Optional.of("a full pass over " + at.table().display());
            switch (a) {
                case AlterAction.ValidateConstraint v when !ctx.state().addedNotValidInTransaction(at.table(), v.name()) -> {
                    return Optional.of("a validation scan of " + at.table().display());
                }
                case AlterAction.AddConstraint ac when scansForOwnIndexOrReference(ac.constraint()) -> {
                    return Optional.of("a full pass over " + at.table().display());
                }
                case AlterAction.SetTablespace s when StorageMoves.moves(info, s) -> {
                    return Optional.of("a copy of " + at.table().display());
                }
                case AlterAction.AttachPartition p when ctx.isPreExisting(p.partition()) -> {
                    return Optional.of("a scan of " + p.partition().display());
                }
                default -> { }
            }
        }
        return Optional.empty();
    }

    /** UNIQUE / PRIMARY KEY built from scratch, or a FOREIGN KEY validated while it is added. */
    private static boolean scansForOwnIndexOrReference(Constraint c) {
        return switch (c) {
            case Constraint.Unique u -> u.usingIndex() == null;
            case Constraint.PrimaryKey p -> p.usingIndex() == null;
            case Constraint.ForeignKey f -> !f.notValid();
            case Constraint.Exclusion e -> true;
            default -> false;
        };
    }

    /**
     * Whether the action makes ALTER TABLE rewrite the table or check every row in its single
     * verification pass (PostgreSQL's "phase 3"): several such actions in one ALTER TABLE share one
     * pass, so spreading them over several statements reads the table several times. Uses the
     * constraint and column rules' own analyzers, so both groups judge type changes, defaults and
     * NOT NULL proofs alike.
     *
     * @param table the table as the model knows it; unknown means "assume work"
     */
    static boolean rewritesOrChecksAllRows(RuleContext ctx, AlterAction action, Optional<TableInfo> table) {
        return switch (action) {
            case AlterAction.AlterColumnType t -> {
                TypeName from = table.flatMap(i -> i.column(t.column())).map(ColumnInfo::type).orElse(null);
                yield switch (TypeChangeAnalyzer.classify(from, t, t.column())) {
                    case SAME, NO_REWRITE -> false;
                    case TIME_ZONE -> !TypeChangeAnalyzer.isUtc(ctx.state().setting("timezone"));
                    default -> true;
                };
            }
            case AlterAction.SetNotNull n -> !NotNullAnalyzer.provenNotNull(table, n.column(), ctx.version());
            case AlterAction.AddColumn a -> addColumnRewrites(a.column());
            case AlterAction.AddConstraint ac -> switch (ac.constraint()) {
                case Constraint.Check c -> !c.notValid();
                case Constraint.NotNull n -> !n.notValid();
                default -> false;
            };
            case AlterAction.SetLogged l -> true;
            case AlterAction.SetUnlogged u -> true;
            case AlterAction.SetAccessMethod m -> StorageMoves.rewrites(table, m);
            default -> false;
        };
    }

    private static boolean addColumnRewrites(ColumnDef c) {
        if ((c.type() != null && c.isSerial()) || c.identity() != null) return true;
        if (c.generated() != null && c.generated().stored()) return true;
        if (c.defaultValue() != null && !VolatilityAnalyzer.volatileFunctions(c.defaultValue()).isEmpty()) return true;
        // An inline CHECK or UNIQUE / PRIMARY KEY reads every row of the table.
        return c.constraints().stream().anyMatch(k -> k instanceof Constraint.Check || k instanceof Constraint.Unique
                || k instanceof Constraint.PrimaryKey);
    }
}
