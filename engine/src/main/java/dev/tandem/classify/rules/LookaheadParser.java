package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.source.Statement;
import dev.tandem.sql.Change;
import dev.tandem.sql.SqlParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the statements that follow the current one in its migration, for the few rules whose
 * verdict depends on what comes next (a rename followed by a compatibility view under the old
 * name, a DROP VIEW followed by its re-creation). A statement that does not parse counts as
 * {@link Change.Opaque}: it never exempts anything.
 */
final class LookaheadParser {
    private static final SqlParser PARSER = new SqlParser();

    private LookaheadParser() {}

    /** The changes of every statement after the current one, in order. */
    static List<Change> following(RuleContext ctx) {
        List<Statement> all = ctx.migration().statements();
        int at = indexOf(all, ctx.statement());
        List<Change> out = new ArrayList<>();
        if (at < 0) return out;
        for (Statement s : all.subList(at + 1, all.size())) {
            out.add(parse(s.sql()));
        }
        return out;
    }

    /**
     * The changes after the current one that run in the same transaction: up to the next COMMIT or
     * ROLLBACK. Empty when the current statement runs outside a transaction block (autocommit):
     * then every later statement is seen by other sessions separately.
     */
    static List<Change> restOfTransaction(RuleContext ctx) {
        List<Change> out = new ArrayList<>();
        if (!ctx.state().inTransaction()) return out;
        for (Change c : following(ctx)) {
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
        List<Statement> all = ctx.migration().statements();
        int at = indexOf(all, ctx.statement());
        return at == all.size() - 1;
    }

    private static int indexOf(List<Statement> all, Statement current) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) == current) return i;
        }
        return all.indexOf(current);
    }

    private static Change parse(String sql) {
        try {
            return PARSER.parse(sql);
        } catch (RuntimeException e) {
            // Syntax errors are reported by the classifier for that statement itself.
            return new Change.Opaque("not parsed: " + e.getMessage());
        }
    }
}
