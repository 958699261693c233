package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * {@code ALTER DOMAIN d ADD CONSTRAINT … CHECK (…)} without NOT VALID checks every value of every
 * column of type {@code d}, holding a ShareLock on each of those tables (PG15) — their writes wait
 * for the whole scan. With NOT VALID it is catalog only; new values are still checked.
 */
public final class AlterDomainAddConstraintRule extends DomainRule {

    @Override
    public String id() {
        return "alter-domain-add-constraint";
    }

    @Override
    public String summary() {
        return "ALTER DOMAIN … ADD CONSTRAINT without NOT VALID scans every table using the domain while blocking its writes";
    }

    @Override
    void check(RuleContext ctx, Change.AlterDomain ad) {
        if (!ad.action().equals("add constraint") || ad.notValid()) return;
        List<QualifiedName> tables = tablesUsing(ctx, ad.name());
        tables.forEach(ctx::scans);
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding a constraint to domain " + ad.name().display() + " checks every stored value of it, reading "
                        + tablesText(tables) + " in full while holding a ShareLock on each: their INSERTs, UPDATEs and DELETEs "
                        + "wait until the check ends.",
                "Add it NOT VALID (catalog only; new values are checked at once) and check old values with a query in "
                        + "batches; note that ALTER DOMAIN … VALIDATE CONSTRAINT also blocks writes (ShareLock, PostgreSQL 15). "
                        + "Constraints on table columns (CHECK … NOT VALID + VALIDATE CONSTRAINT) can be validated online:\n"
                        + "  ALTER DOMAIN " + ad.name() + " ADD CONSTRAINT … CHECK (…) NOT VALID;");
    }
}
