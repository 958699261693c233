package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that follow the current one in its migration, for the few rules whose verdict
 * depends on what comes next (a rename followed by a compatibility view under the old name, a
 * DROP VIEW followed by its re-creation). The classifier parses each migration once, up front.
 */
final class Lookahead {
    private Lookahead() {}

    /** The changes of every statement after the current one, in order. */
    static List<Change> following(RuleContext ctx) {
        return ctx.laterChanges();
    }

    /**
     * The changes after the current one that run in the same transaction: up to the next COMMIT or
     * ROLLBACK. Empty when the current statement runs outside a transaction block (autocommit):
     * then every later statement is seen by other sessions separately.
     */
    static List<Change> restOfTransaction(RuleContext ctx) {
        List<Change> out = new ArrayList<>();
        if (!ctx.state().inTransaction()) return out;
        for (Change c : ctx.laterChanges()) {
            if (c instanceof Change.Transaction t
                    && (t.kind() == Change.TransactionKind.COMMIT || t.kind() == Change.TransactionKind.ROLLBACK
                        || t.kind() == Change.TransactionKind.PREPARE)) {
                break;
            }
            out.add(c);
        }
        return out;
    }

    /** Whether the current statement is the last one of its migration. */
    static boolean isLast(RuleContext ctx) {
        return ctx.laterChanges().isEmpty();
    }

    /**
     * Whether a later statement of the same transaction creates a view named {@code name}; with
     * {@code plainOnly}, a materialized view does not count (it is no stand-in for a table).
     */
    static boolean createsViewLaterInTransaction(RuleContext ctx, QualifiedName name, boolean plainOnly) {
        String display = name.display();
        return restOfTransaction(ctx).stream().anyMatch(c -> c instanceof Change.CreateView cv
                && !(plainOnly && cv.materialized()) && cv.name().display().equals(display));
    }
}
