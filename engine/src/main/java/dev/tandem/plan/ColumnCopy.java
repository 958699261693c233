package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.ConstraintInfo;
import dev.tandem.catalog.IndexInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link RenameColumnRecipe} and {@link TypeChangeRecipe} share: a column replaced by a copy
 * that a trigger keeps in step while both app versions run, filled for the existing rows by a
 * batched backfill, with copies of the column's indexes built concurrently, and swapped in after
 * the gate in one short transaction.
 *
 * <p>The phases:
 * <ol>
 *   <li>expand: the new column (nullable, no default: no rewrite, brief AccessExclusiveLock), a
 *       plpgsql trigger function and a BEFORE INSERT OR UPDATE trigger (brief
 *       ShareRowExclusiveLock). A BEFORE trigger runs before NOT NULL and CHECK constraints are
 *       checked (verified on PostgreSQL 15: an INSERT naming only the new column fills a NOT NULL
 *       old column without a default through the trigger);</li>
 *   <li>backfill: the existing rows in keyset batches, then each index that uses the column built
 *       again on the copy, {@code CONCURRENTLY} under a temporary name — before the gate, because the
 *       new app version queries the copy (rename) or the swap makes it the column (type change);</li>
 *   <li>contract: NOT NULL on the copy through a validated CHECK ({@link NotNullRecipe}'s steps)
 *       when the column had it, then one transaction: trigger and function dropped, the old column
 *       dropped (with its indexes and CHECK constraints), the index copies renamed to the original
 *       names, the default set, the CHECK constraints added back NOT VALID; then VALIDATE for each.</li>
 * </ol>
 * What the copy cannot carry faithfully is refused: a column in a primary key, unique or exclusion
 * constraint or a foreign key (from either side), identity, generated and serial columns, partitioned
 * tables, tables without a batch key, and indexes whose full definition the plan does not know.
 */
final class ColumnCopy {
    private ColumnCopy() {}

    /** An index that uses the column, and the statement that builds its copy. */
    record IndexCopy(QualifiedName original, QualifiedName copy, String create) {}

    /** A CHECK constraint that uses the column: dropped with it, added back for the copy. */
    record Check(String name, String expression, boolean validated) {}

    /**
     * What the copy needs to know about the table.
     *
     * @param key the batch key of the backfill
     */
    record Facts(TableInfo table, ColumnInfo column, List<String> key, List<IndexCopy> indexes, List<Check> checks) {}

    /** {@link Facts}, or why the recipe cannot copy the column. */
    record Inspection(Facts facts, Outcome.NotPlanned refusal) {}

    /**
     * Reads what copying {@code column} into {@code target} needs, or the reason it cannot be done.
     *
     * @param doing       the statement's verb for messages, e.g. "Renaming"
     * @param checkTarget how CHECK expressions read after the swap: the column renamed to {@code target} (rename),
     *                    or unchanged (type change: the copy takes the column's name)
     */
    static Inspection inspect(PlanContext ctx, Change.AlterTable at, String column, String target, String doing,
                              boolean checkTarget) {
        QualifiedName table = at.table();
        String ref = table.display() + "." + column;
        if (ctx.partitioned(table)) {
            return refuse(Outcome.notYet(doing + " " + ref + " through a copy of the column needs a trigger on every partition and"
                            + " a backfill per partition; Tandem has no verified recipe for partitioned tables yet.",
                    "Run the statement in a maintenance window, or copy the column partition by partition yourself."));
        }
        Optional<TableInfo> info = ctx.table(table);
        if (info.isEmpty()) {
            return refuse(Outcome.precondition(doing + " " + ref + " online copies the column, its indexes and constraints, and"
                            + " the table is not in the schema the plan was made from.",
                    "Plan with --url so that Tandem reads the table from the database."));
        }
        TableInfo t = info.get();
        Optional<ColumnInfo> col = t.column(column);
        if (col.isEmpty()) {
            return refuse(Outcome.precondition("The column " + ref + " does not exist: the statement as written would fail.",
                    "Fix the column name in the migration."));
        }
        if (t.column(target).isPresent()) {
            return refuse(Outcome.precondition("A column " + table.display() + "." + target + " exists already, and the plan"
                    + " adds one of that name.", "Drop or rename it first, or choose another name."));
        }
        ColumnInfo c = col.get();
        if (c.identity() || c.generated()) {
            return refuse(Outcome.notYet(ref + " is " + (c.identity() ? "an identity" : "a generated") + " column, which a trigger"
                            + " cannot keep in step with a copy.",
                    "Run the statement in a maintenance window."));
        }
        if (c.defaultValue() != null && c.defaultValue().functions().contains("nextval")) {
            return refuse(Outcome.notYet(ref + " takes its default from a sequence, which it may own (serial): dropping the"
                            + " column would drop the sequence, and Tandem does not know the ownership.",
                    "Run the statement in a maintenance window, or move the sequence to a new column yourself (ALTER SEQUENCE …"
                            + " OWNED BY)."));
        }
        for (ConstraintInfo k : t.constraints()) {
            if (!k.columns().contains(column)) continue;
            String kind = switch (k.kind()) {
                case PRIMARY_KEY -> "the primary key";
                case UNIQUE -> "the unique constraint";
                case EXCLUSION -> "the exclusion constraint";
                case FOREIGN_KEY -> "the foreign key";
                default -> null;
            };
            if (kind != null) {
                return refuse(Outcome.notYet(ref + " is part of " + kind + " " + k.name() + ", which the copy would have to"
                                + " take over in the swap (re-created with its index and, for keys, the foreign keys that use it);"
                                + " Tandem has no recipe for that yet.",
                        "Run the statement in a maintenance window, or move the constraint to a new column yourself."));
            }
        }
        // asked only for a unique index on the column: referencing() reads every table's constraints
        java.util.function.BooleanSupplier referenced = () -> !ctx.schema().referencing(table).isEmpty();
        List<IndexCopy> indexes = new ArrayList<>();
        for (IndexInfo i : ctx.schema().indexesOn(table)) {
            String definition = i.definition() != null ? i.definition()
                    : ctx.release().indexDefinition(i.name()).orElse(null);
            boolean uses = definition != null ? usesColumn(definition, column)
                    : i.elements().stream().anyMatch(e -> usesColumn(e, column)) || (i.where() != null && usesColumn(i.where(), column));
            if (!uses) continue;
            String index = i.name().display();
            boolean ofConstraint = t.constraints().stream().anyMatch(k -> i.name().name().equals(k.index()));
            if (ofConstraint || i.primary()) {
                return refuse(Outcome.notYet("Index " + index + " on " + ref + " belongs to a constraint, which the copy would"
                                + " have to take over in the swap; Tandem has no recipe for that yet.",
                        "Run the statement in a maintenance window."));
            }
            if (i.unique() && referenced.getAsBoolean()) {
                return refuse(Outcome.notYet("The unique index " + index + " uses " + ref + " and other tables reference "
                                + table.display() + ": a foreign key may depend on it.",
                        "Run the statement in a maintenance window."));
            }
            if (!i.valid()) {
                return refuse(Outcome.precondition("Index " + index + " on " + ref + " is INVALID (a failed concurrent build).",
                        "Drop it or rebuild it (REINDEX INDEX CONCURRENTLY) first."));
            }
            if (definition == null) {
                return refuse(Outcome.precondition("Index " + index + " uses " + ref + ", and its full definition (method,"
                                + " opclasses, INCLUDE, WITH) is not known to the plan, so Tandem cannot build an exact copy.",
                        "Plan with --url so that Tandem reads the index from the database."));
            }
            QualifiedName copy = IndexRecipe.indexName(table, ObjectNames.of(i.name().name(), null, "tandem"));
            if (IndexRecipe.exists(ctx, copy)) {
                return refuse(Outcome.precondition("A relation named " + copy.display() + " exists, and the plan builds the copy"
                        + " of index " + index + " under that name.", "Drop or rename it first."));
            }
            String create = copyIndex(definition, at, copy.name(), column, target);
            if (create == null) {
                return refuse(Outcome.notYet("Tandem could not read the definition of index " + index + " to copy it: "
                        + definition, "Run the statement in a maintenance window."));
            }
            indexes.add(new IndexCopy(IndexRecipe.indexName(table, i.name().name()), copy, create));
        }
        List<Check> checks = new ArrayList<>();
        for (ConstraintInfo k : t.constraints()) {
            if (k.kind() != ConstraintInfo.Kind.CHECK) continue;
            boolean uses = k.columns().contains(column) || (k.check() != null && usesColumn(k.check().text(), column));
            if (!uses) continue;
            if (k.check() == null) {
                return refuse(Outcome.precondition("The expression of CHECK constraint " + k.name() + " on " + ref
                        + " is not known to the plan.", "Plan with --url so that Tandem reads it from the database."));
            }
            String expr = checkTarget ? renamed(k.check().text(), column, target, false) : k.check().text();
            checks.add(new Check(k.name(), expr, k.validated()));
        }
        Optional<List<String>> key = BackfillRecipe.batchKey(t, ctx.schema());
        if (key.isEmpty()) {
            return refuse(Outcome.precondition("Filling the copy of " + ref + " walks the table in batches by its primary key (or"
                            + " a unique key on NOT NULL columns), and none is known.",
                    "Give the table a primary key first."));
        }
        return new Inspection(new Facts(t, c, key.get(), indexes, checks), null);
    }

    private static Inspection refuse(Outcome.NotPlanned why) {
        return new Inspection(null, why);
    }

    // ------------------------------------------------------------------ steps

    /** The expand step that adds the copy: nullable, no default, so PostgreSQL writes no row. */
    static SqlStep addColumn(PlanContext ctx, Change.AlterTable at, String purpose, String before, String column, String type) {
        String alter = ConstraintRecipe.alterTable(at);
        return ctx.step(purpose, (before == null ? "" : before + ";\n") + alter + " ADD COLUMN " + SqlText.ident(column) + " " + type,
                true, List.of(PlanContext.lock(at.table(), LockMode.ACCESS_EXCLUSIVE)), null, null,
                alter + " DROP COLUMN IF EXISTS " + SqlText.ident(column), null);
    }

    /**
     * The trigger function. The body holds no {@code ";\n"}: the executor may split a step's
     * statements there. {@code options} go between LANGUAGE and AS (e.g. {@code SET TimeZone FROM CURRENT}).
     */
    static SqlStep function(PlanContext ctx, String purpose, QualifiedName function, String options, String body) {
        return ctx.transactional(purpose,
                "CREATE FUNCTION " + SqlText.name(function) + "() RETURNS trigger LANGUAGE plpgsql" + options + " AS $tandem$BEGIN "
                        + body + " RETURN NEW; END$tandem$",
                List.of(), dropFunction(function));
    }

    static SqlStep trigger(PlanContext ctx, String purpose, QualifiedName table, String trigger, QualifiedName function) {
        return ctx.step(purpose,
                "CREATE TRIGGER " + SqlText.ident(trigger) + " BEFORE INSERT OR UPDATE ON " + SqlText.name(table)
                        + " FOR EACH ROW EXECUTE FUNCTION " + SqlText.name(function) + "()",
                true, List.of(PlanContext.lock(table, LockMode.SHARE_ROW_EXCLUSIVE)), null, null, dropTrigger(trigger, table), null);
    }

    static String dropTrigger(String trigger, QualifiedName table) {
        return "DROP TRIGGER IF EXISTS " + SqlText.ident(trigger) + " ON " + SqlText.name(table);
    }

    static String dropFunction(QualifiedName function) {
        return "DROP FUNCTION IF EXISTS " + SqlText.name(function) + "()";
    }

    /** The concurrent builds of the index copies, in the backfill phase after the backfill. */
    static void buildIndexes(PlanContext ctx, Facts facts, QualifiedName table, Outcome.Builder out) {
        for (IndexCopy i : facts.indexes()) out.backfill(IndexRecipe.build(ctx, i.create(), i.copy(), table));
    }

    /** NOT NULL on the copy through a validated CHECK, while the trigger still keeps it filled. */
    static void notNull(PlanContext ctx, Change.AlterTable at, String column, Outcome.Builder out) {
        String alter = ConstraintRecipe.alterTable(at);
        String helper = ObjectNames.notNullCheck(at.table().name(), column);
        out.contract(NotNullRecipe.addHelper(ctx, alter, at.table(), column, helper));
        out.contract(NotNullRecipe.validateHelper(ctx, alter, at.table(), helper, ""));
        out.contract(NotNullRecipe.setNotNullStep(ctx, alter, at.table(), column));
        out.contract(NotNullRecipe.dropHelper(ctx, alter, at.table(), helper));
    }

    /** The statements of the swap that rename the index copies and add the CHECK constraints back NOT VALID. */
    static List<String> afterDrop(Change.AlterTable at, Facts facts) {
        String alter = ConstraintRecipe.alterTable(at);
        List<String> out = new ArrayList<>();
        for (IndexCopy i : facts.indexes()) {
            out.add("ALTER INDEX " + SqlText.name(i.copy()) + " RENAME TO " + SqlText.ident(i.original().name()));
        }
        for (Check k : facts.checks()) {
            out.add(alter + " ADD CONSTRAINT " + SqlText.ident(k.name()) + " CHECK (" + k.expression() + ") NOT VALID");
        }
        return out;
    }

    /** VALIDATE for each CHECK added back that was validated before. */
    static void validateChecks(PlanContext ctx, Change.AlterTable at, Facts facts, Outcome.Builder out) {
        String alter = ConstraintRecipe.alterTable(at);
        for (Check k : facts.checks()) {
            if (!k.validated()) continue;
            out.contract(ctx.transactional("Validate " + k.name() + " again in a transaction of its own: reads every row under"
                            + " ShareUpdateExclusiveLock while reads and writes go on.",
                    alter + " VALIDATE CONSTRAINT " + SqlText.ident(k.name()),
                    List.of(PlanContext.lock(at.table(), LockMode.SHARE_UPDATE_EXCLUSIVE)), null));
        }
    }

    static String names(List<IndexCopy> indexes) {
        return String.join(", ", indexes.stream().map(i -> i.original().name()).toList());
    }

    // ------------------------------------------------------------------ SQL text

    /** Whether an expression or index definition names the column (as a column, not as a function, type or qualified name). */
    static boolean usesColumn(String text, String column) {
        return !renamed(text, column, "\u0000", true).equals(text);
    }

    /**
     * {@code text} with every reference to {@code column} replaced by {@code target}. Token-based,
     * as {@link SqlText#onRow}: names inside strings, longer names, qualified names, function
     * calls and type names after {@code ::} stay. With {@code definition} set, the words of a
     * CREATE INDEX that are never columns are left alone too: the name after USING (the method)
     * and COLLATE, the options in WITH (…) and the name after TABLESPACE.
     */
    static String renamed(String text, String column, String target, boolean definition) {
        List<Token> t = SqlText.tokens(text);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            Token k = t.get(i);
            switch (k.kind()) {
                case LPAREN, LBRACKET -> depth++;
                case RPAREN, RBRACKET -> depth--;
                default -> { }
            }
            if (definition && depth == 0 && k.isKeyword("with") && i + 1 < t.size() && t.get(i + 1).kind() == Token.Kind.LPAREN) {
                int close = SqlText.closing(t, i + 1);
                if (close < 0) break;
                i = close;
                continue;
            }
            if (!k.isIdentifier()) continue;
            Token before = i > 0 ? t.get(i - 1) : null;
            if (definition && before != null && (before.isKeyword("using") || before.isKeyword("collate")
                    || before.isKeyword("tablespace"))) continue;
            String raw = text.substring(k.start(), k.end());
            String name = k.kind() == Token.Kind.QUOTED_IDENT && raw.startsWith("\"")
                    ? raw.substring(1, raw.length() - 1).replace("\"\"", "\"")
                    : k.text().toLowerCase(Locale.ROOT);
            if (!name.equals(column)) continue;
            Token after = i + 1 < t.size() ? t.get(i + 1) : null;
            if (before != null && (before.kind() == Token.Kind.DOT || before.kind() == Token.Kind.DOUBLE_COLON
                    || before.isKeyword("as"))) continue;
            if (after != null && (after.kind() == Token.Kind.DOT || after.kind() == Token.Kind.LPAREN)) continue;
            out.append(text, copied, k.start()).append(SqlText.ident(target));
            copied = k.end();
        }
        return out.append(text.substring(copied)).toString();
    }

    /**
     * {@code CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS copy ON [ONLY] table …} from an index
     * definition ({@code pg_get_indexdef} or a CREATE INDEX as written), with the column renamed and
     * everything after the table name (method, opclasses, collations, ordering, INCLUDE, WITH,
     * TABLESPACE, WHERE) kept; the table as the statement names it. Null when not of that form.
     */
    static String copyIndex(String definition, Change.AlterTable at, String copy, String column, String target) {
        String sql = SqlText.trimmed(definition);
        List<Token> t = SqlText.tokens(sql);
        if (!SqlText.at(t, 0, "create")) return null;
        boolean unique = SqlText.at(t, 1, "unique");
        int i = SqlText.find(t, 1, "on");
        if (i < 0) return null;
        i++;
        boolean only = SqlText.at(t, i, "only");
        if (only) i++;
        if (i >= t.size() || !t.get(i).isIdentifier()) return null;
        i++;
        while (i + 1 < t.size() && t.get(i).kind() == Token.Kind.DOT && t.get(i + 1).isIdentifier()) i += 2;
        if (i >= t.size()) return null;
        String rest = renamed(sql.substring(t.get(i).start()), column, target, true);
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + SqlText.ident(copy) + " ON "
                + (only ? "ONLY " : "") + SqlText.name(at.table()) + " " + rest;
    }
}
