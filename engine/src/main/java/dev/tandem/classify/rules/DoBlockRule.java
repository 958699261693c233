package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * A DO block runs procedural code (often dynamic SQL with EXECUTE, loops, conditionals) that Tandem
 * does not execute statically: its locks, rewrites and data changes are unknown. Review.
 */
public final class DoBlockRule implements Rule {
    public static final String ID = "do-block";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "DO blocks run code whose locks and effects Tandem cannot see";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.DoBlock d)) return;
        String lang = d.language() == null ? "plpgsql" : d.language();
        ctx.report(StatementClass.REVIEW,
                "DO block (" + lang + "): Tandem cannot tell which tables it locks, rewrites or updates, so it cannot say"
                        + " whether it blocks traffic or breaks the running app version.",
                "Write the statements it runs as plain SQL in the migration so each one is classified, or review it by hand"
                        + " (a traced plan runs it on a scratch database and records its locks), then mark it reviewed with"
                        + " -- migrate:ignore do-block.");
    }
}
