package dev.tandem.plan;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.Classification;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.source.MigrationType;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns the classified statements of all pending migrations into one {@link ReleasePlan}. Pure:
 * no connection, no clock; the same input gives the same plan.
 *
 * <p>Per statement, in migration order:
 * <ul>
 *   <li>{@code BEGIN}/{@code COMMIT} give no step: every step runs in a transaction of its own
 *       (or none), which is at least as fine-grained as what the migration asked for. Other
 *       transaction control (ROLLBACK, SAVEPOINT, …) has no meaning there and is unplanned.</li>
 *   <li>{@code blocking} and {@code review} statements are unplanned, with the classifier's
 *       message and fix.</li>
 *   <li>A statement whose only hazards are ones the step model itself removes
 *       ({@link #STEP_MODEL_COVERS}) runs as written in expand ({@link AsIsRecipe}); so does every
 *       compatible statement — except index builds and drops on existing tables, which always
 *       take the {@link IndexRecipe} form so that they can be retried.</li>
 *   <li>Otherwise a recipe is chosen by the statement's {@code Change} / {@code AlterAction}
 *       type. It must cover every rule that fired; if it does not, or there is none yet, the
 *       statement is unplanned with reason {@code recipe-not-yet-available}: never run as
 *       written, never dropped silently.</li>
 *   <li>A statement whose steps would run in an earlier phase than the later-phase steps of an
 *       earlier statement on the same table or index is unplanned with reason {@code order}:
 *       running it first would reorder the migrations.</li>
 * </ul>
 * Flyway undo migrations are not part of a forward release and are left out.
 */
public final class Planner {

    /**
     * Rules whose hazard comes from statements sharing the migration's transaction, which the
     * plan never does: each step runs in a transaction of its own, or in autocommit when
     * PostgreSQL requires it.
     */
    static final Set<String> STEP_MODEL_COVERS = Set.of(
            "concurrently-in-transaction", "non-transactional-command-in-transaction", "work-after-access-exclusive-lock",
            "validate-in-same-transaction", "enum-value-used-in-same-transaction");

    private final AsIsRecipe asIs = new AsIsRecipe();
    private final IndexRecipe index = new IndexRecipe();
    private final ConstraintRecipe constraint = new ConstraintRecipe();
    private final UniqueKeyRecipe uniqueKey = new UniqueKeyRecipe();
    private final NotNullRecipe notNull = new NotNullRecipe();
    private final AttachPartitionRecipe attach = new AttachPartitionRecipe();
    private final BackfillRecipe backfill = new BackfillRecipe();
    private final AddColumnRecipe addColumn = new AddColumnRecipe();
    private final RenameColumnRecipe renameColumn = new RenameColumnRecipe();
    private final TypeChangeRecipe typeChange = new TypeChangeRecipe();
    private final RenameTableRecipe renameTable = new RenameTableRecipe();
    private final RemovalRecipe removal = new RemovalRecipe();
    private final RefreshRecipe refresh = new RefreshRecipe();
    private final SchemaReplayer replayer = new SchemaReplayer();

    /** Plans against an offline model built by replaying the set itself (every other table counts as existing). */
    public ReleasePlan plan(ClassifiedSet set) {
        return plan(set, SchemaModel.offline());
    }

    /**
     * @param schema the schema before the first pending migration, as it was given to the
     *               classifier (the classifier changes its model in place: pass a fresh one,
     *               e.g. read again from the live catalog). The planner replays every statement
     *               into it, so it is changed in place too.
     */
    public ReleasePlan plan(ClassifiedSet set, SchemaModel schema) {
        Map<Phase, List<Step>> phases = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) phases.put(p, new ArrayList<>());
        List<Unplanned> unplanned = new ArrayList<>();
        Placements placed = new Placements();
        ReleaseFacts release = new ReleaseFacts();

        for (MigrationResult m : set.migrations()) {
            if (m.migration().type() == MigrationType.UNDO) continue;
            for (StatementResult s : m.statements()) {
                PlanContext ctx = new PlanContext(m.migration(), s.statement(), s.change(), s.classification(), schema,
                        set.postgresVersion(), release);
                Outcome outcome = planStatement(ctx);
                if (outcome instanceof Outcome.Planned p) {
                    Set<String> keys = keys(ctx);
                    Outcome.NotPlanned conflict = conflict(ctx, p, keys, placed);
                    if (conflict != null) {
                        outcome = conflict;
                    } else {
                        p.steps().forEach(st -> phases.get(st.phase()).add(st.step()));
                        placed.add(new Placement(ctx.label(), ctx.line(), ctx.sql(), p.latest(), keys, replaced(ctx),
                                columnScoped(ctx.change())));
                    }
                }
                if (outcome instanceof Outcome.NotPlanned np) {
                    unplanned.add(new Unplanned(ctx.label(), ctx.line(), ctx.sql(), np.reason(), np.message(), np.instead()));
                }
                release.after(ctx, s.change() instanceof Change.CreateIndex ci
                        ? ObjectNames.createdIndex(schema, ci).orElse(null) : null);
                replayer.apply(s.change(), schema);
            }
        }
        List<PhasePlan> out = new ArrayList<>();
        for (Phase p : Phase.values()) out.add(new PhasePlan(p, phases.get(p)));
        return new ReleasePlan(set.postgresVersion(), out, unplanned);
    }

    /** The steps of one statement, or why it has none; {@code null} for a statement that needs no step. */
    private Outcome planStatement(PlanContext ctx) {
        Classification cls = ctx.classification();
        if (ctx.change() instanceof Change.Transaction t) {
            return switch (t.kind()) {
                case BEGIN, COMMIT -> null;
                default -> new Outcome.NotPlanned(Unplanned.Reason.REVIEW,
                        "The plan runs every statement in a transaction of its own; " + ctx.sql() + " has no meaning there.",
                        "Remove it from the migration, or split the migration where it ends a unit of work.");
            };
        }
        if (cls.statementClass() == StatementClass.BLOCKING || cls.statementClass() == StatementClass.REVIEW) {
            List<Finding> worst = cls.findings().stream().filter(f -> f.severity() == cls.statementClass()).toList();
            return new Outcome.NotPlanned(cls.statementClass() == StatementClass.BLOCKING ? Unplanned.Reason.BLOCKING
                    : Unplanned.Reason.REVIEW, messages(worst), fixes(worst));
        }
        List<Finding> open = cls.findings().stream()
                .filter(f -> f.severity().atLeast(StatementClass.ONLINE_REWRITE) && !STEP_MODEL_COVERS.contains(f.rule()))
                .toList();
        if (open.isEmpty()) return compatible(ctx);
        Choice choice = choose(ctx);
        List<Finding> uncovered = open.stream().filter(f -> !choice.recipe().covers().contains(f.rule())).toList();
        if (!uncovered.isEmpty()) {
            String ids = uncovered.stream().map(Finding::rule).distinct().collect(Collectors.joining(", "));
            String split = ctx.change() instanceof Change.AlterTable at && at.actions().size() > 1
                    ? " Tandem plans ALTER TABLE one action at a time: splitting the statement into one ALTER TABLE per action"
                    + " may let it plan the parts." : "";
            return Outcome.notYet("No online recipe yet for " + ids + ": " + messages(uncovered) + split, fixes(uncovered));
        }
        return choice.plan().get();
    }

    /** A compatible statement: as written, except index builds and drops on existing tables (retryable form). */
    private Outcome compatible(PlanContext ctx) {
        return switch (ctx.change()) {
            case Change.CreateIndex ci when ci.concurrently() -> index.create(ctx, ci);
            case Change.DropIndex di when di.indexes().stream().noneMatch(i -> newInRelease(ctx, i)) -> index.drop(ctx, di);
            default -> asIs.asIs(ctx);
        };
    }

    /** Whether an index is on a table created in this release (then dropping it is not a hazard for anybody). */
    private static boolean newInRelease(PlanContext ctx, QualifiedName index) {
        return ctx.schema().index(index).map(i -> ctx.release().createdInRelease(i.table())).orElse(false);
    }

    private record Choice(Recipe recipe, Supplier<Outcome> plan) {}

    private static final Choice NONE = new Choice(Set::of, () -> {
        throw new IllegalStateException("no recipe");
    });

    /** The recipe for a statement that needs one, by the type of what it does. */
    private Choice choose(PlanContext ctx) {
        return switch (ctx.change()) {
            case Change.CreateIndex ci -> new Choice(index, () -> index.create(ctx, ci));
            case Change.DropIndex di -> new Choice(index, () -> index.drop(ctx, di));
            case Change.Reindex r -> new Choice(index, () -> index.reindex(ctx, r));
            case Change.Update u -> new Choice(backfill, () -> backfill.update(ctx, u));
            case Change.Delete d -> new Choice(backfill, () -> backfill.delete(ctx, d));
            case Change.RefreshMaterializedView r -> new Choice(refresh, () -> refresh.refresh(ctx, r));
            case Change.DropTable dt -> new Choice(removal, () -> removal.dropTable(ctx, dt));
            case Change.Truncate t -> new Choice(removal, () -> removal.truncate(ctx, t));
            case Change.DropView dv -> new Choice(removal, () -> removal.dropView(ctx, dv));
            case Change.DropType dt -> new Choice(removal, () -> removal.dropType(ctx, dt));
            case Change.DropSchema ds -> new Choice(removal, () -> removal.dropSchema(ctx, ds));
            case Change.AlterTable at when at.actions().size() == 1 -> switch (at.actions().get(0)) {
                case AlterAction.AddConstraint ac -> switch (ac.constraint()) {
                    case Constraint.Check c -> new Choice(constraint, () -> constraint.notValidThenValidate(ctx, at, c));
                    case Constraint.ForeignKey fk -> new Choice(constraint, () -> constraint.notValidThenValidate(ctx, at, fk));
                    case Constraint.Unique u -> new Choice(uniqueKey, () -> uniqueKey.add(ctx, at, u));
                    case Constraint.PrimaryKey pk -> new Choice(uniqueKey, () -> uniqueKey.add(ctx, at, pk));
                    case Constraint.Exclusion e -> NONE;
                    case Constraint.NotNull nn -> NONE;
                };
                case AlterAction.SetNotNull sn -> new Choice(notNull, () -> notNull.tighten(ctx, at, sn));
                case AlterAction.AttachPartition ap -> new Choice(attach, () -> attach.attach(ctx, at, ap));
                case AlterAction.AddColumn ac -> new Choice(addColumn, () -> addColumn.add(ctx, at, ac));
                case AlterAction.RenameColumn rc -> new Choice(renameColumn, () -> renameColumn.rename(ctx, at, rc));
                case AlterAction.AlterColumnType t -> new Choice(typeChange, () -> typeChange.change(ctx, at, t));
                case AlterAction.RenameTable rt -> new Choice(renameTable, () -> renameTable.rename(ctx, at, rt));
                case AlterAction.DropColumn dc -> new Choice(removal, () -> removal.dropColumn(ctx, at, dc));
                case AlterAction.DropDefault dd -> new Choice(removal, () -> removal.dropDefault(ctx, at, dd));
                case AlterAction.DropConstraint dc -> new Choice(removal, () -> removal.dropConstraint(ctx, at, dc));
                case AlterAction.SetSchema ss -> new Choice(renameTable, () -> renameTable.setSchema(ctx, at, ss));
                default -> NONE;
            };
            default -> NONE;
        };
    }

    // ------------------------------------------------------------------ order between statements

    /** A planned statement: the latest phase it has steps in, and the tables and indexes it works on. */
    private record Placement(String migration, int line, String sql, Phase latest, Set<String> keys, Set<String> replaced,
                             boolean columnScoped) {}

    /**
     * The planned statements that can be in a later statement's way: those with steps after
     * expand (nothing runs before expand), indexed by key so that a release of many thousand
     * statements is not compared pairwise.
     */
    private static final class Placements {
        private final List<Placement> all = new ArrayList<>();
        private final Map<String, List<Integer>> byKey = new java.util.HashMap<>();

        void add(Placement p) {
            if (p.latest() == Phase.EXPAND) return;
            int index = all.size();
            all.add(p);
            for (String k : p.keys()) byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(index);
        }

        /** Those sharing a key with {@code keys}, in the order they were planned. */
        List<Placement> sharing(Set<String> keys) {
            java.util.TreeSet<Integer> hits = new java.util.TreeSet<>();
            for (String k : keys) {
                List<Integer> at = byKey.get(k);
                if (at != null) hits.addAll(at);
            }
            return hits.stream().map(all::get).toList();
        }
    }

    /**
     * Refuses a statement with a step in an earlier phase than an earlier statement's work on the
     * same table or index: the release would run it first. Non-unique index builds and plain
     * column additions are exempt, as their result does not depend on the order — unless they
     * touch a column the earlier statement works on (a column dropped, renamed or swapped in
     * contract: an index built on it in expand would be lost, a column added under its name would
     * collide).
     */
    private static Outcome.NotPlanned conflict(PlanContext ctx, Outcome.Planned planned, Set<String> keys, Placements placed) {
        boolean insensitive = orderInsensitive(ctx.change());
        boolean scoped = columnScoped(ctx.change());
        Set<String> early = earlyColumns(ctx, keys);
        Phase earliest = planned.earliest();
        for (Placement e : placed.sharing(keys)) {
            if (e.latest().compareTo(earliest) <= 0) continue;
            Set<String> shared = new LinkedHashSet<>(e.keys());
            shared.retainAll(keys);
            if (shared.isEmpty()) continue;
            boolean onReplaced = shared.stream().anyMatch(e.replaced()::contains);
            if (insensitive && !onReplaced) continue;
            // Both work on named columns only: running this one earlier matters only when its
            // early steps touch a column the other one uses, or it uses a column the other one
            // drops, renames or swaps in contract.
            if (scoped && e.columnScoped() && !onReplaced && early.stream().noneMatch(e.keys()::contains)) continue;
            Set<String> named = shared.stream().filter(k -> k.startsWith(COLUMN) || k.startsWith(INDEX)).collect(
                    Collectors.toCollection(LinkedHashSet::new));
            String on = (named.isEmpty() ? shared : named).stream().map(Planner::describeKey).collect(Collectors.joining(", "));
            return new Outcome.NotPlanned(Unplanned.Reason.ORDER,
                    "Its steps would run in " + earliest + ", before the " + e.latest() + " steps of migration " + e.migration()
                            + " (line " + e.line() + ": " + e.sql() + "), which also work on " + on
                            + ": the release would not run them in the order the migrations were written.",
                    "Release migration " + e.migration() + " first and this one in a later release, or, if their order does not"
                            + " matter, put this statement before the other one.");
        }
        return null;
    }

    private static final String COLUMN = "column:";
    private static final String INDEX = "index:";

    private static String describeKey(String key) {
        if (key.startsWith(INDEX)) return "index " + key.substring(INDEX.length());
        if (key.startsWith(COLUMN)) return "column " + key.substring(COLUMN.length());
        return key;
    }

    /**
     * Statements whose effect is confined to the columns they name (an UPDATE to the columns it
     * sets and reads): their order against another such statement matters only where the columns
     * meet. Constraints, DELETE, DDL on the whole table are not.
     */
    private static boolean columnScoped(Change change) {
        return switch (change) {
            case Change.CreateIndex ci -> true;
            case Change.Update u -> u.from() == null;
            case Change.AlterTable at -> at.actions().size() == 1 && switch (at.actions().get(0)) {
                case AlterAction.AddColumn ac -> ac.column().constraints().isEmpty();
                case AlterAction.DropColumn dc -> true;
                case AlterAction.RenameColumn rc -> true;
                case AlterAction.AlterColumnType t -> true;
                case AlterAction.SetNotNull sn -> true;
                case AlterAction.DropNotNull dn -> true;
                case AlterAction.SetDefault sd -> true;
                case AlterAction.DropDefault dd -> true;
                default -> false;
            };
            default -> false;
        };
    }

    /**
     * The column keys a statement's steps touch before its last phase: a rename's copy column
     * only (the old column is left alone until contract); otherwise every column it names.
     */
    private static Set<String> earlyColumns(PlanContext ctx, Set<String> keys) {
        if (ctx.change() instanceof Change.AlterTable at && at.actions().size() == 1
                && at.actions().get(0) instanceof AlterAction.RenameColumn rc) {
            return Set.of(column(at.table(), rc.to()));
        }
        return keys.stream().filter(k -> k.startsWith(COLUMN)).collect(Collectors.toSet());
    }

    private static boolean orderInsensitive(Change change) {
        return switch (change) {
            case Change.CreateIndex ci -> !ci.unique();
            case Change.AlterTable at -> at.actions().size() == 1 && at.actions().get(0) instanceof AlterAction.AddColumn ac
                    && ac.column().constraints().isEmpty();
            default -> false;
        };
    }

    /**
     * The tables ({@code schema.name}), indexes ({@code index:schema.name}) and columns
     * ({@code column:schema.table.column}) a statement works on.
     */
    private static Set<String> keys(PlanContext ctx) {
        Set<String> keys = new LinkedHashSet<>();
        SchemaModel schema = ctx.schema();
        switch (ctx.change()) {
            case Change.AlterTable at -> {
                keys.add(at.table().display());
                for (AlterAction a : at.actions()) {
                    columnOf(a).forEach(c -> keys.add(column(at.table(), c)));
                    switch (a) {
                        case AlterAction.RenameTable rt -> keys.add(QualifiedName.of(at.table().resolved().schema(), rt.newName())
                                .display());
                        case AlterAction.SetSchema ss -> keys.add(QualifiedName.of(ss.schema(), at.table().name()).display());
                        case AlterAction.AttachPartition ap -> keys.add(ap.partition().display());
                        case AlterAction.DetachPartition dp -> keys.add(dp.partition().display());
                        case AlterAction.AddConstraint ac when ac.constraint() instanceof Constraint.ForeignKey fk
                                && fk.refTable() != null -> keys.add(fk.refTable().display());
                        default -> { }
                    }
                }
            }
            case Change.CreateIndex ci -> {
                keys.add(ci.table().display());
                if (ci.name() != null) keys.add("index:" + ci.name().display());
                Set<String> known = schema.table(ci.table()).map(t -> t.columns().stream().map(c -> c.name())
                        .collect(Collectors.toSet())).orElse(null);
                List<String> texts = new ArrayList<>(ci.elements());
                if (ci.where() != null) texts.add(ci.where());
                for (String e : texts) columnsIn(e, known).forEach(c -> keys.add(column(ci.table(), c)));
            }
            case Change.DropIndex di -> di.indexes().forEach(i -> {
                keys.add("index:" + i.display());
                schema.index(i).map(IndexInfo::table).ifPresent(t -> keys.add(t.display()));
            });
            case Change.Reindex r when r.name() != null && "index".equals(r.kind()) -> {
                keys.add("index:" + r.name().display());
                schema.index(r.name()).map(IndexInfo::table).ifPresent(t -> keys.add(t.display()));
            }
            case Change.Reindex r when r.name() != null && "table".equals(r.kind()) -> keys.add(r.name().display());
            case Change.Update u -> {
                keys.add(u.table().display());
                Set<String> known = schema.table(u.table()).map(t -> t.columns().stream().map(c -> c.name())
                        .collect(Collectors.toSet())).orElse(null);
                columnsIn(u.set(), known).forEach(c -> keys.add(column(u.table(), c)));
                if (u.where() != null) columnsIn(u.where(), known).forEach(c -> keys.add(column(u.table(), c)));
            }
            case Change.Delete d -> keys.add(d.table().display());
            case Change.Insert i -> keys.add(i.table().display());
            case Change.Merge m -> keys.add(m.table().display());
            case Change.Copy c -> keys.add(c.table().display());
            case Change.CreateTable ct -> {
                keys.add(ct.name().display());
                if (ct.partitionOf() != null) keys.add(ct.partitionOf().display());
            }
            case Change.DropTable dt -> dt.tables().forEach(t -> keys.add(t.display()));
            case Change.Truncate t -> t.tables().forEach(n -> keys.add(n.display()));
            case Change.DropView dv -> dv.views().forEach(v -> keys.add(v.display()));
            case Change.RefreshMaterializedView r -> keys.add(r.view().display());
            case Change.CreateView cv -> keys.add(cv.name().display());
            default -> { }
        }
        return keys;
    }

    /**
     * The names an expression reads, as far as tokens tell: identifiers that are not a function
     * name, a qualifier or a type; only the table's known columns when the table is known.
     */
    private static Set<String> columnsIn(String expr, Set<String> known) {
        Set<String> out = new LinkedHashSet<>();
        List<dev.tandem.sql.Token> tokens = SqlText.tokens(expr);
        for (int i = 0; i < tokens.size(); i++) {
            dev.tandem.sql.Token t = tokens.get(i);
            if (!t.isIdentifier()) continue;
            dev.tandem.sql.Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            dev.tandem.sql.Token prev = i > 0 ? tokens.get(i - 1) : null;
            if (next != null && (next.kind() == dev.tandem.sql.Token.Kind.LPAREN || next.kind() == dev.tandem.sql.Token.Kind.DOT)) continue;
            if (prev != null && prev.kind() == dev.tandem.sql.Token.Kind.DOUBLE_COLON) continue;
            String name = t.kind() == dev.tandem.sql.Token.Kind.IDENT ? t.text().toLowerCase(java.util.Locale.ROOT) : t.text();
            if (known == null || known.contains(name)) out.add(name);
        }
        return out;
    }

    private static String column(QualifiedName table, String column) {
        return COLUMN + table.display() + "." + column;
    }

    /** The columns a statement drops, renames or replaces by a copy (type change): {@code column:} keys. */
    private static Set<String> replaced(PlanContext ctx) {
        Set<String> out = new LinkedHashSet<>();
        if (ctx.change() instanceof Change.AlterTable at) {
            for (AlterAction a : at.actions()) {
                switch (a) {
                    case AlterAction.DropColumn dc -> out.add(column(at.table(), dc.column()));
                    case AlterAction.RenameColumn rc -> {
                        out.add(column(at.table(), rc.from()));
                        out.add(column(at.table(), rc.to()));
                    }
                    case AlterAction.AlterColumnType t -> out.add(column(at.table(), t.column()));
                    default -> { }
                }
            }
        }
        return out;
    }

    /** The columns an ALTER TABLE action names (both names of a rename). */
    private static List<String> columnOf(AlterAction a) {
        return switch (a) {
            case AlterAction.AddColumn ac -> List.of(ac.column().name());
            case AlterAction.DropColumn dc -> List.of(dc.column());
            case AlterAction.RenameColumn rc -> List.of(rc.from(), rc.to());
            case AlterAction.AlterColumnType t -> List.of(t.column());
            case AlterAction.SetNotNull sn -> List.of(sn.column());
            case AlterAction.DropNotNull dn -> List.of(dn.column());
            case AlterAction.SetDefault sd -> List.of(sd.column());
            case AlterAction.DropDefault dd -> List.of(dd.column());
            case AlterAction.AddIdentity ai -> List.of(ai.column());
            case AlterAction.DropExpression de -> List.of(de.column());
            case AlterAction.AddConstraint ac -> switch (ac.constraint()) {
                case Constraint.Unique u -> u.columns();
                case Constraint.PrimaryKey pk -> pk.columns();
                case Constraint.ForeignKey fk -> fk.columns();
                default -> List.of();
            };
            default -> List.of();
        };
    }

    private static String messages(List<Finding> findings) {
        return findings.stream().map(Finding::message).distinct().collect(Collectors.joining(" "));
    }

    private static String fixes(List<Finding> findings) {
        return findings.stream().map(Finding::fix).distinct().collect(Collectors.joining("\n"));
    }
}
