package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * A statement the parser did not model (valid-looking PostgreSQL of an unmodelled form). Tandem
 * never guesses its locks or effects: review, with the parser's reason.
 */
public final class OpaqueStatementRule implements Rule {
    public static final String ID = "opaque-statement";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "A statement Tandem does not understand is sent to review, never guessed";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Opaque o)) return;
        String reason = o.reason() == null || o.reason().isBlank() ? "not a form Tandem models" : o.reason();
        ctx.report(StatementClass.REVIEW,
                "Tandem does not understand this statement well enough to classify it (" + reason + "): its locks and"
                        + " effects on the running app are unknown.",
                "Review it by hand or with a traced plan (run on a scratch database, recording its locks and rewrites),"
                        + " then mark it reviewed with -- migrate:ignore opaque-statement.");
    }
}
