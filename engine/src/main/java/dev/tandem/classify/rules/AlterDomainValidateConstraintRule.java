package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * {@code ALTER DOMAIN d VALIDATE CONSTRAINT c}: unlike ALTER TABLE's VALIDATE (ShareUpdateExclusiveLock),
 * validating a domain constraint holds a ShareLock on every table with a column of the domain for
 * the whole scan (PG15: {@code pg_locks} shows ShareLock), blocking their writes.
 */
public final class AlterDomainValidateConstraintRule extends DomainRule {

    @Override
    public String id() {
        return "alter-domain-validate-constraint";
    }

    @Override
    public String summary() {
        return "ALTER DOMAIN … VALIDATE CONSTRAINT blocks writes on every table using the domain while it scans them";
    }

    @Override
    void check(RuleContext ctx, Change.AlterDomain ad) {
        if (!ad.action().equals("validate constraint")) return;
        List<QualifiedName> tables = tablesUsing(ctx, ad.name());
        tables.forEach(ctx::scans);
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Validating a constraint of domain " + ad.name().display() + " reads " + tablesText(tables) + " in full while "
                        + "holding a ShareLock on each: unlike ALTER TABLE … VALIDATE CONSTRAINT it blocks their INSERTs, "
                        + "UPDATEs and DELETEs until the scan ends.",
                "Leave the domain constraint NOT VALID (new values are checked anyway) and verify old values with a query in "
                        + "batches, or move the rule to CHECK constraints on the table columns, which validate online.");
    }
}
