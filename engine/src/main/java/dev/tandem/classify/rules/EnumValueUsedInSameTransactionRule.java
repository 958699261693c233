package dev.tandem.classify.rules;

import dev.tandem.catalog.ColumnInfo;
import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.Locale;
import java.util.Optional;

/**
 * Since PostgreSQL 12, ALTER TYPE … ADD VALUE may run inside a transaction block, but the new value
 * cannot be used before that transaction commits: PG15 rejects a cast, a column default or an
 * INSERT with "unsafe use of new value … of enum type …" and the migration fails. Detected when a
 * later statement of the same transaction contains the new label as a string literal and either
 * names the type, or targets a table with a column of that type (or a table the model does not
 * know). Online-rewrite: Tandem commits after the ADD VALUE by giving it a step of its own.
 */
public final class EnumValueUsedInSameTransactionRule implements Rule {
    public static final String ID = "enum-value-used-in-same-transaction";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "An enum value added in the same transaction cannot be used before it commits";
    }

    @Override
    public void check(RuleContext ctx) {
        // Naming the new label in ALTER TYPE (… ADD VALUE 'x' AFTER 'new', RENAME VALUE 'new' TO …) or in
        // a COMMENT reads no enum value: PG15 runs both in the same transaction.
        if (ctx.change() instanceof Change.AlterType || ctx.change() instanceof Change.Comment) return;
        String sql = ctx.statement().sql();
        for (Change c : ctx.state().transactionChanges()) {
            if (!(c instanceof Change.AlterType t) || !EnumLabels.addsValue(t)) continue;
            String literal = EnumLabels.literal(t.value());
            if (!sql.contains(literal) || !relatesToType(ctx, t.name(), sql)) continue;
            ctx.report(StatementClass.ONLINE_REWRITE,
                    "This statement uses " + literal + ", which an earlier statement of the same transaction added to enum "
                            + t.name().display() + ": until the ALTER TYPE commits PostgreSQL rejects it with the error unsafe use of new"
                            + " value \"" + EnumLabels.unquoted(t.value()) + "\" of enum type " + t.name().name()
                            + ", and the migration fails.",
                    "Commit after ALTER TYPE … ADD VALUE: Tandem runs it as a step of its own before this one; without Tandem"
                            + " put the ALTER TYPE in an earlier migration (or COMMIT right after it in a non-transactional one).");
            return;
        }
    }

    private static boolean relatesToType(RuleContext ctx, QualifiedName type, String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains(type.name().toLowerCase(Locale.ROOT))) return true;
        QualifiedName target = switch (ctx.change()) {
            case Change.Update u -> u.table();
            case Change.Insert i -> i.table();
            case Change.Delete d -> d.table();
            case Change.Merge m -> m.table();
            case Change.AlterTable at -> at.table();
            case Change.CreateIndex ci -> ci.table();
            default -> null;
        };
        if (target == null) return false;
        Optional<TableInfo> table = ctx.table(target);
        if (table.isEmpty()) return true; // offline and unknown: it may well have such a column
        for (ColumnInfo col : table.get().columns()) {
            if (col.type() == null) continue;
            String n = col.type().name();
            if (n.equals(type.name()) || n.equals(type.display())) return true;
        }
        return false;
    }
}
