package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.sql.Change;
import java.util.Locale;

/**
 * Commands PostgreSQL refuses inside a transaction block (PG15, each "… cannot run inside a
 * transaction block"): VACUUM (plain or FULL, with or without ANALYZE; a plain ANALYZE may run),
 * REINDEX SCHEMA / DATABASE / SYSTEM, and CLUSTER without a table. The CONCURRENTLY family is
 * {@link ConcurrentlyInTransactionRule}'s; CREATE/DROP DATABASE are blocking anyway. Same class
 * and reasoning as there: online-rewrite, Tandem runs the command as a non-transactional step of
 * its own.
 */
public final class NonTransactionalCommandInTransactionRule implements Rule {
    public static final String ID = "non-transactional-command-in-transaction";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "VACUUM, REINDEX SCHEMA/DATABASE and CLUSTER without a table fail inside a transaction block";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!ctx.state().inTransaction()) return;
        String command = switch (ctx.change()) {
            case Change.Vacuum v when !v.analyzeOnly() -> "VACUUM";
            case Change.Reindex r when !r.concurrently() && r.kind() != null && !r.kind().equals("index") && !r.kind().equals("table") ->
                    "REINDEX " + r.kind().toUpperCase(Locale.ROOT);
            case Change.Cluster c when c.table() == null -> "CLUSTER";
            default -> null;
        };
        if (command == null) return;
        ConcurrentlyInTransactionRule.reportInTransaction(ctx, command,
                command.equals("VACUUM") ? " Or use ANALYZE alone, which may run in a transaction." : "");
    }
}
