package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Locale;

/**
 * REPLICA IDENTITY FULL takes a brief AccessExclusiveLock (PG15) and changes no data, but from then
 * on every UPDATE and DELETE on the table writes the whole old row to WAL, and logical-replication
 * subscribers locate rows by comparing all columns. Fully understood and compatible for the app, so
 * advice (not review, which Tandem keeps for what it cannot classify).
 */
public final class ReplicaIdentityFullRule implements Rule {
    public static final String ID = "replica-identity-full";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "REPLICA IDENTITY FULL logs whole old rows for every UPDATE and DELETE";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at) || !ctx.isPreExisting(at.table())) return;
        for (AlterAction a : at.actions()) {
            if (a instanceof AlterAction.ReplicaIdentity ri && ri.identity() != null && ri.identity().toLowerCase(Locale.ROOT).strip().equals("full")) {
                ctx.report(StatementClass.COMPATIBLE,
                        "REPLICA IDENTITY FULL makes every UPDATE and DELETE on " + ctx.describe(at.table()) + " write the"
                                + " whole old row to WAL (more WAL, more replication lag), and logical-replication subscribers"
                                + " find rows by comparing every column, which is slow on large tables without an index there.",
                        "Prefer a primary key, or REPLICA IDENTITY USING INDEX <a unique index on NOT NULL columns>; keep FULL"
                                + " for tables that have neither.");
                return;
            }
        }
    }
}
