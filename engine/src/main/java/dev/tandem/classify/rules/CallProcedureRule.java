package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * CALL runs a stored procedure, which may lock, rewrite or update anything and even COMMIT inside
 * (procedures may control transactions). Tandem cannot see into it: review.
 */
public final class CallProcedureRule implements Rule {
    public static final String ID = "call-procedure";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CALL runs a procedure whose locks and effects Tandem cannot see";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Call c)) return;
        ctx.report(StatementClass.REVIEW,
                "CALL " + c.procedure() + " runs a stored procedure: Tandem cannot tell which tables it locks, rewrites or"
                        + " updates, and a procedure may even commit in the middle.",
                "Review the procedure's body by hand or with a traced plan (run on a scratch database, recording its locks),"
                        + " then mark it reviewed with -- migrate:ignore call-procedure.");
    }
}
