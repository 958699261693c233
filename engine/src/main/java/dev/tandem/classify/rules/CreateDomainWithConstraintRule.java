package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * {@code CREATE DOMAIN d AS t CHECK (…) | NOT NULL}: harmless now, but the constraint is hard to
 * change later — changing it re-checks every column of the domain under a ShareLock (there is no
 * online VALIDATE for domains), and converting an existing column to a constrained domain rewrites
 * its table. Advice.
 */
public final class CreateDomainWithConstraintRule implements Rule {

    @Override
    public String id() {
        return "create-domain-with-constraint";
    }

    @Override
    public String summary() {
        return "A constrained domain is hard to change online later; prefer CHECK constraints on the columns";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateDomain cd) || (cd.checks().isEmpty() && !cd.notNull())) return;
        ctx.report(StatementClass.COMPATIBLE,
                "Domain " + cd.name().display() + " carries a constraint: changing it later (ALTER DOMAIN … ADD/VALIDATE "
                        + "CONSTRAINT, SET NOT NULL) re-checks every column of the domain while blocking writes to those "
                        + "tables, and ALTER COLUMN … TYPE " + cd.name().name() + " on an existing column rewrites its table.",
                "Prefer an unconstrained domain (or the base type " + cd.baseType().display() + ") with CHECK constraints on the "
                        + "columns, which can be added NOT VALID and validated online.");
    }
}
