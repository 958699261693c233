package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * Explicit transaction control that fights the runner's. PostgreSQL has no nested transactions: a
 * BEGIN inside an open transaction only warns ("there is already a transaction in progress", PG15)
 * and the next COMMIT ends the outer transaction. A COMMIT or ROLLBACK inside a migration the runner
 * wraps in a transaction ends (or undoes) the runner's transaction: the rest runs in autocommit, a
 * later failure leaves the migration half applied, and the runner's own COMMIT only warns. What the
 * migration then does atomically is not what it says: review.
 */
public final class TransactionNestingRule implements Rule {
    public static final String ID = "transaction-nesting";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "BEGIN, COMMIT or ROLLBACK inside a migration that already runs in a transaction";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Transaction t)) return;
        String fix = "Let one party own the transaction: remove the BEGIN/COMMIT and let the runner wrap the migration, or"
                + " mark the migration non-transactional (Flyway: executeInTransaction=false; Liquibase:"
                + " runInTransaction=\"false\") and keep the explicit BEGIN … COMMIT.";
        switch (t.kind()) {
            case BEGIN -> {
                if (!ctx.state().inTransaction()) return;
                String outer = ctx.state().migrationTransactional()
                        ? "the runner already executes this migration in a transaction"
                        : "a transaction opened by an earlier BEGIN is still open";
                ctx.report(StatementClass.REVIEW,
                        "BEGIN inside a transaction: " + outer + ". PostgreSQL has no nested transactions; it only warns"
                                + " \"there is already a transaction in progress\", and the next COMMIT ends the outer"
                                + " transaction, so the statements after it are no longer atomic with the ones before.",
                        fix);
            }
            case COMMIT, ROLLBACK -> {
                if (!ctx.state().migrationTransactional()) return;
                String verb = t.kind() == Change.TransactionKind.COMMIT ? "COMMIT" : "ROLLBACK";
                String effect = t.kind() == Change.TransactionKind.COMMIT
                        ? "commits the runner's transaction early"
                        : "silently undoes everything before it, yet the runner records the migration as applied";
                ctx.report(StatementClass.REVIEW,
                        verb + " inside a migration the runner executes in one transaction " + effect + ": the statements"
                                + " after it run in autocommit, and a failure among them leaves the migration half applied.",
                        fix);
            }
            default -> { }
        }
    }
}
