package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * A non-transactional migration whose explicit BEGIN is never followed by COMMIT: it ends with the
 * transaction still open. Depending on the runner and the connection pool the work is rolled back
 * when the connection closes, or the transaction stays open holding its locks. Review. (In a
 * migration the runner wraps, an explicit BEGIN is {@link TransactionNestingRule}'s.)
 */
public final class UncommittedTransactionRule implements Rule {
    public static final String ID = "uncommitted-transaction";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "A migration that ends inside the transaction its BEGIN opened";
    }

    @Override
    public void check(RuleContext ctx) {
        if (ctx.state().migrationTransactional() || !Lookahead.isLast(ctx)) return;
        boolean opensHere = ctx.change() instanceof Change.Transaction t && t.kind() == Change.TransactionKind.BEGIN;
        boolean endsHere = ctx.change() instanceof Change.Transaction t
                && (t.kind() == Change.TransactionKind.COMMIT || t.kind() == Change.TransactionKind.ROLLBACK
                    || t.kind() == Change.TransactionKind.PREPARE);
        if (endsHere || !(opensHere || ctx.state().inTransaction())) return;
        ctx.report(StatementClass.REVIEW,
                "The migration ends inside the transaction its BEGIN opened: nothing after BEGIN is committed. Depending on"
                        + " the runner the work is rolled back when the connection closes, or the transaction stays open and"
                        + " keeps its locks.",
                "End the transaction with COMMIT; as the last statement.");
    }
}
