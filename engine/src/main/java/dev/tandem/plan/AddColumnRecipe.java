package dev.tandem.plan;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.Token;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ADD COLUMN forms that rewrite the table or break the running app version, each as a nullable
 * column added without a rewrite, values for new rows, a batched backfill for the existing ones and
 * NOT NULL through a validated CHECK ({@link NotNullRecipe}'s steps) where the column has it:
 * <ul>
 *   <li>a volatile DEFAULT: {@code ADD COLUMN c t, ALTER COLUMN c SET DEFAULT expr} in one statement
 *       stores no value for existing rows (PostgreSQL 15: relfilenode unchanged, old rows NULL),
 *       then {@code c = expr} per row in batches;</li>
 *   <li>serial: the sequence PostgreSQL would create ({@code <table>_<column>_seq}, AS the integer
 *       type), the integer column with {@code DEFAULT nextval(…)}, {@code OWNED BY} the column,
 *       then {@code nextval} for the existing rows — the end state of {@code ADD COLUMN c serial};</li>
 *   <li>identity: the same with a helper sequence ({@code <table>_<column>_seq_tandem}, the
 *       statement's sequence options), and in contract one transaction that swaps the default for
 *       the identity and moves its sequence to where the helper stopped;</li>
 *   <li>a stored generated column: a plain column kept by a BEFORE INSERT OR UPDATE trigger — not a
 *       generated column, which PostgreSQL cannot make of an existing column without a rewrite;</li>
 *   <li>NOT NULL without a DEFAULT: nullable in expand, the NULLs filled from a
 *       {@code -- migrate:backfill <expr>} annotation after the gate, then NOT NULL.</li>
 * </ul>
 * Column constraints written inline (CHECK, UNIQUE, PRIMARY KEY, REFERENCES) and clauses the
 * recipe does not model (STORAGE, COMPRESSION, a named NOT NULL) are refused, not dropped.
 */
final class AddColumnRecipe implements Recipe {
    static final Set<String> COVERS = Set.of(
            "add-column-volatile-default", "add-column-not-null-without-default", "add-column-generated-stored",
            "add-column-serial", "add-column-identity");

    /** Words of a column definition the recipe does not carry into the steps. */
    private static final Set<String> UNMODELLED = Set.of(
            "storage", "compression", "constraint", "deferrable", "initially", "enforced", "inherit");

    /** Words an identity's sequence options may hold that the recipe carries (see {@link #identityOptions}). */
    private static final Set<String> IDENTITY_WORDS = Set.of(
            "start", "with", "increment", "by", "minvalue", "maxvalue", "no", "cache", "cycle", "sequence", "name");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome add(PlanContext ctx, Change.AlterTable at, AlterAction.AddColumn ac) {
        ColumnDef col = ac.column();
        QualifiedName table = at.table();
        if (!col.constraints().isEmpty()) {
            return Outcome.notYet("The column " + col.name() + " has a constraint written inline (CHECK, UNIQUE, PRIMARY KEY or"
                            + " REFERENCES), which this recipe does not carry over.",
                    "Add the column in one statement and the constraint in a separate ALTER TABLE … ADD CONSTRAINT, which has an"
                            + " online recipe of its own.");
        }
        if (ctx.partitioned(table)) {
            return Outcome.notYet("ADD COLUMN on the partitioned table " + table.display() + " recurses into every partition;"
                            + " Tandem has no verified recipe for filling a column of a partitioned table yet.",
                    "Add the column nullable without the default, then fill each partition in batches yourself.");
        }
        List<Token> t = SqlText.tokens(ctx.sql());
        int name = columnNameToken(t);
        if (name < 0) return IndexRecipe.unrecognised("ALTER TABLE … ADD COLUMN");
        for (int i = name + 1; i < t.size(); i++) {
            if (t.get(i).kind() == Token.Kind.IDENT && UNMODELLED.contains(t.get(i).text().toLowerCase(java.util.Locale.ROOT))) {
                return Outcome.notYet("The column definition has " + t.get(i).text().toUpperCase(java.util.Locale.ROOT)
                                + ", which this recipe does not carry over.",
                        "Add the column without it, and set it in a separate statement.");
            }
        }
        if (ac.ifNotExists()) {
            Optional<TableInfo> info = ctx.table(table);
            if (info.isEmpty()) {
                return Outcome.precondition("With IF NOT EXISTS the plan depends on whether " + table.display() + "."
                                + col.name() + " exists, and the table is not in the schema the plan was made from.",
                        "Plan with --url so that Tandem reads the table from the database, or drop IF NOT EXISTS.");
            }
            if (info.get().column(col.name()).isPresent()) {
                return Outcome.precondition("The column " + table.display() + "." + col.name() + " exists already: the"
                        + " statement does nothing.", "Remove the statement from the migration.");
            }
        }
        Column c = new Column(ctx, at, ac, collation(ctx.sql(), t, name));
        if (col.identity() != null) return identity(c, t, name);
        if (col.isSerial()) return serial(c);
        if (col.generated() != null) return generated(c);
        if (col.defaultValue() != null) return volatileDefault(c);
        return notNullWithoutDefault(c);
    }

    /** What every form needs: the statement's pieces as SQL. */
    private record Column(PlanContext ctx, Change.AlterTable at, AlterAction.AddColumn ac, String collation) {
        QualifiedName table() {
            return at.table();
        }

        ColumnDef def() {
            return ac.column();
        }

        String name() {
            return ac.column().name();
        }

        String ident() {
            return SqlText.ident(name());
        }

        String alter() {
            return ConstraintRecipe.alterTable(at);
        }

        /** {@code c type [COLLATE x]}: the column without DEFAULT, NOT NULL, GENERATED or IDENTITY. */
        String plain(String type) {
            return ident() + " " + type + (collation == null ? "" : " COLLATE " + collation);
        }

        /**
         * The expand step that adds the column: {@code extra} is appended to the ALTER TABLE
         * (e.g. {@code , ALTER COLUMN c SET DEFAULT …}); {@code before}/{@code after} are further
         * statements of the same transaction. With IF NOT EXISTS it runs only while the column is
         * absent, so that its rollback never drops a column that existed before the release.
         */
        SqlStep addStep(String purpose, String type, String extra, String before, String after) {
            String sql = (before == null ? "" : before + ";\n") + alter() + " ADD COLUMN " + plain(type) + extra
                    + (after == null ? "" : ";\n" + after);
            String onlyIf = ac.ifNotExists() ? "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                    + SqlText.regclass(table()) + " AND attname = " + SqlText.literal(name()) + " AND NOT attisdropped)" : null;
            return ctx.step(purpose, sql, true, List.of(PlanContext.lock(table(), LockMode.ACCESS_EXCLUSIVE)), onlyIf, null,
                    alter() + " DROP COLUMN IF EXISTS " + ident(), null);
        }

        /** The CHECK → VALIDATE → SET NOT NULL → drop sequence of {@link NotNullRecipe}; {@code note} ends VALIDATE's purpose. */
        void notNull(Outcome.Builder out, String note) {
            String helper = ObjectNames.notNullCheck(table().name(), name());
            out.contract(NotNullRecipe.addHelper(ctx, alter(), table(), name(), helper));
            out.contract(NotNullRecipe.validateHelper(ctx, alter(), table(), helper, note));
            out.contract(NotNullRecipe.setNotNullStep(ctx, alter(), table(), name()));
            out.contract(NotNullRecipe.dropHelper(ctx, alter(), table(), helper));
        }

        /** The batch key of the table, or why there is none. */
        Optional<List<String>> key() {
            return ctx.table(table()).flatMap(t -> BackfillRecipe.batchKey(t, ctx.schema()));
        }

        Outcome.NotPlanned noKey() {
            boolean known = ctx.table(table()).isPresent();
            return Outcome.precondition("Filling " + table().display() + "." + name() + " for the existing rows walks the table"
                            + " in batches by its primary key (or a unique key on NOT NULL columns), and none is known"
                            + (known ? "" : " (the table is not in the schema the plan was made from)") + ".",
                    known ? "Give the table a primary key first." : "Plan with --url so that Tandem reads the table from the database.");
        }

        BackfillStep fill(String purpose, List<String> key, String value) {
            // Nothing to undo: the column is added by this release and its rollback drops it.
            return ctx.backfill(purpose, table(), key, ident() + " = " + value, ident() + " IS NULL", null);
        }

        /** A name in the table's schema, qualified only when the table was. */
        QualifiedName sibling(String name) {
            return QualifiedName.of(table().schema(), name);
        }
    }

    // ------------------------------------------------------------------ volatile default

    /*
     * Verified on PostgreSQL 15: ALTER TABLE t ADD COLUMN c uuid, ALTER COLUMN c SET DEFAULT
     * gen_random_uuid() (one statement) keeps t's relfilenode and leaves every existing row NULL:
     * the default is attached after the column, so there is nothing to evaluate per row.
     */
    private Outcome volatileDefault(Column c) {
        Optional<List<String>> key = c.key();
        if (key.isEmpty()) return c.noKey();
        String expr = c.def().defaultValue().text();
        Outcome.Builder out = Outcome.steps();
        out.expand(c.addStep("Add " + c.name() + " nullable and give it DEFAULT " + expr + " for new rows in the same statement:"
                        + " existing rows stay NULL, so there is no rewrite (brief AccessExclusiveLock).",
                c.def().type().raw(), ", ALTER COLUMN " + c.ident() + " SET DEFAULT " + expr, null, null));
        // Rows a version of the app writes with an explicit NULL while the walk runs get a value too;
        // the statement as written only gave values to the rows that existed.
        out.backfill(c.fill("Give the existing rows their own " + expr + " in keyset batches of short transactions (each row"
                + " evaluates it anew), instead of the rewrite under AccessExclusiveLock.", key.get(), expr));
        if (c.def().notNull()) c.notNull(out, "");
        return out.build();
    }

    // ------------------------------------------------------------------ serial

    private Outcome serial(Column c) {
        Optional<List<String>> key = c.key();
        if (key.isEmpty()) return c.noKey();
        String type = integerType(c.def().type().name());
        QualifiedName seq = c.sibling(ObjectNames.of(c.table().name(), c.name(), "seq"));
        if (taken(c.ctx(), seq)) {
            return Outcome.precondition("A relation named " + seq.name() + " exists, so PostgreSQL would give the column's"
                    + " sequence another name than the plan can predict.", "Use an identity column, or create the sequence yourself"
                    + " under a free name and give the column DEFAULT nextval(…).");
        }
        String nextval = "nextval(" + SqlText.literal(SqlText.name(seq)) + "::regclass)";
        Outcome.Builder out = Outcome.steps();
        // Verified on PostgreSQL 15: these three statements leave the relfilenode of the table
        // unchanged and give the same sequence (AS integer, start 1), default text and ownership
        // (pg_depend deptype 'a' on the column) as ADD COLUMN c serial; DROP COLUMN drops the
        // owned sequence with it, which is what makes the one-statement rollback complete.
        out.expand(c.addStep("Create the sequence " + seq.name() + " as " + c.def().type().name() + " does, add " + c.name() + " "
                        + type + " nullable with DEFAULT " + nextval + " for new rows and make the column own the sequence:"
                        + " existing rows stay NULL, so there is no rewrite (brief AccessExclusiveLock).",
                type, ", ALTER COLUMN " + c.ident() + " SET DEFAULT " + nextval,
                "CREATE SEQUENCE " + SqlText.name(seq) + " AS " + type,
                "ALTER SEQUENCE " + SqlText.name(seq) + " OWNED BY " + SqlText.name(c.table()) + "." + c.ident()));
        out.backfill(c.fill("Number the existing rows from " + seq.name() + " in keyset batches of short transactions, instead"
                + " of the rewrite under AccessExclusiveLock.", key.get(), nextval));
        c.notNull(out, "");
        return out.build();
    }

    private static String integerType(String serial) {
        return switch (serial) {
            case "bigserial" -> "bigint";
            case "smallserial" -> "smallint";
            default -> "integer";
        };
    }

    /** Whether the model knows a table or index of that name (sequences it does not know: CREATE SEQUENCE then fails). */
    private static boolean taken(PlanContext ctx, QualifiedName name) {
        return ctx.schema().table(name).isPresent() || ctx.schema().index(name).isPresent();
    }

    // ------------------------------------------------------------------ identity

    private Outcome identity(Column c, List<Token> t, int name) {
        Optional<List<String>> key = c.key();
        if (key.isEmpty()) return c.noKey();
        String sql = c.ctx().sql();
        int word = SqlText.find(t, name + 1, "identity");
        if (word < 0) return IndexRecipe.unrecognised("ALTER TABLE … ADD COLUMN … AS IDENTITY");
        IdentityOptions options = identityOptions(sql, t, word);
        if (options.refused() != null) {
            return Outcome.notYet("The identity's sequence option " + options.refused() + " is not one the recipe carries over"
                            + " (it carries START, INCREMENT, MINVALUE, MAXVALUE, CACHE, CYCLE and SEQUENCE NAME).",
                    "Add the identity without it, then change its sequence with ALTER TABLE … ALTER COLUMN … SET ….");
        }
        String type = c.def().type().raw();
        QualifiedName helper = c.sibling(ObjectNames.of(c.table().name(), c.name(), "seq_tandem"));
        String nextval = "nextval(" + SqlText.literal(SqlText.name(helper)) + "::regclass)";
        String kind = c.def().identity().always() ? "ALWAYS" : "BY DEFAULT";
        Outcome.Builder out = Outcome.steps();
        // The helper is deliberately not OWNED BY the column: pg_get_serial_sequence, which the
        // contract step uses to find the identity's sequence, would return the helper instead
        // (verified on PostgreSQL 15).
        out.expand(c.ctx().transactional("Create the helper sequence " + helper.name() + " with the identity's options, to"
                        + " number rows until the column can become an identity column.",
                "CREATE SEQUENCE " + SqlText.name(helper) + " AS " + type + (options.forHelper().isEmpty() ? ""
                        : " " + options.forHelper()),
                List.of(), "DROP SEQUENCE IF EXISTS " + SqlText.name(helper)));
        out.expand(c.addStep("Add " + c.name() + " nullable with DEFAULT " + nextval + " for new rows: existing rows stay NULL,"
                        + " so there is no rewrite (brief AccessExclusiveLock).",
                type, ", ALTER COLUMN " + c.ident() + " SET DEFAULT " + nextval, null, null));
        out.backfill(c.fill("Number the existing rows from " + helper.name() + " in keyset batches of short transactions,"
                + " instead of the rewrite under AccessExclusiveLock.", key.get(), nextval));
        c.notNull(out, "");
        // Verified on PostgreSQL 15: ADD GENERATED … AS IDENTITY on a NOT NULL column keeps the
        // relfilenode; in the same ALTER TABLE as DROP DEFAULT it is accepted, and the
        // AccessExclusiveLock it takes is held until setval has moved the identity's sequence to
        // where the helper stopped: no insert runs in between, so none gets a NULL or a duplicate.
        out.contract(c.ctx().step("Turn " + c.name() + " into a GENERATED " + kind + " AS IDENTITY column in one transaction:"
                        + " drop the helper default, add the identity, continue its sequence after the helper's last value and"
                        + " drop the helper (brief AccessExclusiveLock; the NOT NULL column is not read).",
                c.alter() + " ALTER COLUMN " + c.ident() + " DROP DEFAULT, ALTER COLUMN " + c.ident() + " ADD GENERATED " + kind
                        + " AS IDENTITY" + (options.asWritten().isEmpty() ? "" : " (" + options.asWritten() + ")") + ";\n"
                        + "SELECT setval(pg_get_serial_sequence(" + SqlText.literal(SqlText.name(c.table())) + ", "
                        + SqlText.literal(c.name()) + "), last_value, is_called) FROM " + SqlText.name(helper) + ";\n"
                        + "DROP SEQUENCE " + SqlText.name(helper),
                true, List.of(PlanContext.lock(c.table(), LockMode.ACCESS_EXCLUSIVE)), null, null, null,
                "the helper sequence is gone and the values handed out since are the identity's; to undo, DROP IDENTITY and"
                        + " give the column a sequence default by hand"));
        return out.build();
    }

    /**
     * The sequence options of {@code AS IDENTITY (…)}: as written, without {@code SEQUENCE NAME}
     * (for the helper), or the first word the recipe does not carry.
     */
    record IdentityOptions(String asWritten, String forHelper, String refused) {}

    static IdentityOptions identityOptions(String sql, List<Token> t, int identityWord) {
        int open = identityWord + 1;
        if (open >= t.size() || t.get(open).kind() != Token.Kind.LPAREN) return new IdentityOptions("", "", null);
        int close = SqlText.closing(t, open);
        if (close < 0 || close == open + 1) return new IdentityOptions("", "", null);
        String written = sql.substring(t.get(open + 1).start(), t.get(close - 1).end());
        StringBuilder helper = new StringBuilder();
        int copied = t.get(open + 1).start();
        for (int i = open + 1; i < close; i++) {
            Token k = t.get(i);
            if (k.kind() == Token.Kind.IDENT) {
                String w = k.text().toLowerCase(java.util.Locale.ROOT);
                if (!IDENTITY_WORDS.contains(w)) return new IdentityOptions(written, null, k.text().toUpperCase(java.util.Locale.ROOT));
                if (w.equals("sequence") && SqlText.at(t, i + 1, "name")) {
                    int end = i + 2;
                    if (end >= close || !t.get(end).isIdentifier()) return new IdentityOptions(written, null, "SEQUENCE NAME");
                    while (end + 2 < close && t.get(end + 1).kind() == Token.Kind.DOT && t.get(end + 2).isIdentifier()) end += 2;
                    helper.append(sql, copied, k.start());
                    copied = t.get(end).end();
                    i = end;
                }
            } else if (k.kind() != Token.Kind.NUMBER && !(k.kind() == Token.Kind.OPERATOR
                    && (k.text().equals("-") || k.text().equals("+")))) {
                return new IdentityOptions(written, null, sql.substring(k.start(), k.end()));
            }
        }
        helper.append(sql, copied, t.get(close - 1).end());
        return new IdentityOptions(written, helper.toString().strip().replaceAll("\\s+", " "), null);
    }

    // ------------------------------------------------------------------ stored generated

    private Outcome generated(Column c) {
        if (!c.def().generated().stored() && !c.ctx().version().atLeast(18)) {
            return Outcome.notYet("PostgreSQL before 18 has only stored generated columns and requires STORED to be written.",
                    "Write GENERATED ALWAYS AS (…) STORED.");
        }
        Optional<TableInfo> info = c.ctx().table(c.table());
        Optional<List<String>> key = c.key();
        if (key.isEmpty()) return c.noKey();
        String expr = c.def().generated().expression().text();
        List<String> columns = info.orElseThrow().columns().stream().map(ColumnInfo::name).toList();
        String helper = ObjectNames.of(c.table().name(), c.name(), "generated_tandem");
        QualifiedName function = c.sibling(helper);
        String alter = c.alter();
        Outcome.Builder out = Outcome.steps();
        // A body without ";\n": the executor may split a step's statements there. plpgsql's
        // assignment casts to the column type as the generated column's expression is.
        out.expand(c.ctx().transactional("Create the trigger function " + function.name() + " that computes " + c.name() + " = "
                        + expr + " for each written row.",
                "CREATE FUNCTION " + SqlText.name(function) + "() RETURNS trigger LANGUAGE plpgsql AS $tandem$BEGIN NEW."
                        + c.ident() + " := (" + SqlText.onRow(expr, columns, "NEW") + "); RETURN NEW; END$tandem$",
                List.of(), "DROP FUNCTION IF EXISTS " + SqlText.name(function) + "()"));
        out.expand(c.addStep("Add " + c.name() + " as a plain nullable column: no value is computed for existing rows, so there"
                        + " is no rewrite (brief AccessExclusiveLock).",
                c.def().type().raw(), "", null, null));
        out.expand(c.ctx().step("Keep " + c.name() + " equal to " + expr + " with a BEFORE INSERT OR UPDATE trigger. Unlike the"
                        + " statement as written, " + c.name() + " stays a plain column kept by this trigger, not a generated"
                        + " column: PostgreSQL cannot make an existing column generated without a rewrite (brief"
                        + " ShareRowExclusiveLock).",
                "CREATE TRIGGER " + SqlText.ident(helper) + " BEFORE INSERT OR UPDATE ON " + SqlText.name(c.table())
                        + " FOR EACH ROW EXECUTE FUNCTION " + SqlText.name(function) + "()",
                true, List.of(PlanContext.lock(c.table(), LockMode.SHARE_ROW_EXCLUSIVE)), null, null,
                "DROP TRIGGER IF EXISTS " + SqlText.ident(helper) + " ON " + SqlText.name(c.table()), null));
        out.backfill(c.fill("Compute " + c.name() + " for the existing rows in keyset batches of short transactions, instead of"
                + " the rewrite under AccessExclusiveLock.", key.get(), expr));
        if (c.def().notNull()) c.notNull(out, "");
        return out.build();
    }

    // ------------------------------------------------------------------ NOT NULL without a default

    private Outcome notNullWithoutDefault(Column c) {
        Optional<String> value = c.ctx().annotation("backfill").filter(v -> !v.isEmpty());
        Outcome.Builder out = Outcome.steps();
        out.expand(c.addStep("Add " + c.name() + " nullable: the running app version's INSERTs do not name it and keep working;"
                        + " NOT NULL follows after the gate (brief AccessExclusiveLock, no rewrite).",
                c.def().type().raw(), "", null, null));
        String note;
        if (value.isPresent()) {
            Optional<List<String>> key = c.key();
            if (key.isEmpty()) return c.noKey();
            out.contract(c.fill("Fill the NULLs of " + c.name() + " — the rows that existed and those the old app version wrote"
                    + " — with " + value.get() + " (the -- migrate:backfill annotation), in batches, once that version is gone.",
                    key.get(), value.get()));
            note = "";
        } else {
            note = " The statement has no DEFAULT and no -- migrate:backfill <expr> annotation, so nothing fills the rows that"
                    + " existed before the release or that the old app version wrote: this step fails, changing nothing, unless"
                    + " the new app version filled every row. Annotate the statement with -- migrate:backfill <expr> to fill"
                    + " them first.";
        }
        c.notNull(out, note);
        return out.build();
    }

    // ------------------------------------------------------------------ the statement's text

    /** The index of the column name token of {@code ALTER TABLE … ADD [COLUMN] [IF NOT EXISTS] name}, or -1. */
    static int columnNameToken(List<Token> t) {
        int i = SqlText.afterAlterTableName(t);
        if (!SqlText.at(t, i, "add")) return -1;
        i++;
        if (SqlText.at(t, i, "column")) i++;
        if (SqlText.at(t, i, "if") && SqlText.at(t, i + 1, "not") && SqlText.at(t, i + 2, "exists")) i += 3;
        return i < t.size() && t.get(i).isIdentifier() ? i : -1;
    }

    /** The collation as written after COLLATE ({@code "C"}, {@code pg_catalog."default"}), or null. */
    static String collation(String sql, List<Token> t, int from) {
        int at = SqlText.find(t, from + 1, "collate");
        if (at < 0 || at + 1 >= t.size() || !t.get(at + 1).isIdentifier()) return null;
        int end = at + 1;
        while (end + 2 < t.size() && t.get(end + 1).kind() == Token.Kind.DOT && t.get(end + 2).isIdentifier()) end += 2;
        return sql.substring(t.get(at + 1).start(), t.get(end).end());
    }
}
