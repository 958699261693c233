package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY and (PostgreSQL 14+)
 * ALTER TABLE … DETACH PARTITION … CONCURRENTLY refuse to run inside a transaction block: PG15
 * says "CREATE INDEX CONCURRENTLY cannot run inside a transaction block" (likewise "DROP INDEX
 * CONCURRENTLY …", "REINDEX CONCURRENTLY …", "ALTER TABLE ... DETACH CONCURRENTLY …"), and the
 * migration fails. That happens when the runner wraps the migration in a transaction (Flyway's
 * default, Liquibase's runInTransaction) or an explicit BEGIN opened one.
 *
 * <p>Class: online-rewrite. The statement is the right, online one; only its execution context is
 * wrong, and Tandem's plan gives every CONCURRENTLY statement a non-transactional step of its own,
 * which is an equivalent form it can run automatically. (Not review: nothing about it is unknown.)
 */
public final class ConcurrentlyInTransactionRule implements Rule {
    public static final String ID = "concurrently-in-transaction";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CONCURRENTLY statements fail inside a transaction block";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!ctx.state().inTransaction()) return;
        String what = switch (ctx.change()) {
            case Change.CreateIndex ci when ci.concurrently() -> "CREATE INDEX CONCURRENTLY";
            case Change.DropIndex di when di.concurrently() -> "DROP INDEX CONCURRENTLY";
            case Change.Reindex r when r.concurrently() -> "REINDEX CONCURRENTLY";
            // Before 14 DETACH … CONCURRENTLY is a syntax error anywhere: ConcurrentlyRejectedRule's.
            case Change.AlterTable at when ctx.version().atLeast(14) && at.actions().stream().anyMatch(a ->
                    a instanceof AlterAction.DetachPartition d && d.concurrently() && !d.finalizeDetach()) ->
                    "ALTER TABLE ... DETACH CONCURRENTLY";
            default -> null;
        };
        if (what == null) return;
        reportInTransaction(ctx, what, "");
    }

    /**
     * Reports that {@code command}, which PostgreSQL refuses inside a transaction block, runs in one
     * here. Shared with {@link NonTransactionalCommandInTransactionRule}: same cause, same remedy.
     *
     * @param alternative an extra sentence for the fix (may be empty)
     */
    static void reportInTransaction(RuleContext ctx, String command, String alternative) {
        String why = ctx.state().migrationTransactional()
                ? "the runner executes this migration in one transaction"
                : "an earlier BEGIN opened a transaction block";
        ctx.report(StatementClass.ONLINE_REWRITE,
                command + " cannot run inside a transaction block, and " + why + ": PostgreSQL rejects it (\"" + command
                        + " cannot run inside a transaction block\") and the migration fails.",
                "Run it outside a transaction: Tandem's plan gives it a non-transactional step of its own. Without Tandem,"
                        + " put it in a migration of its own that is not wrapped in a transaction (Flyway: executeInTransaction=false"
                        + " in a V…sql.conf file; Liquibase: runInTransaction=\"false\") and remove any BEGIN/COMMIT around it."
                        + alternative);
    }
}
