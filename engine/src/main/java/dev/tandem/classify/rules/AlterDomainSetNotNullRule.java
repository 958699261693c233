package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * {@code ALTER DOMAIN d SET NOT NULL} checks every column of type {@code d} for NULLs, holding a
 * ShareLock on each table (PG15); writes of the running application that store NULL in such a
 * column fail afterwards. There is no NOT VALID form for it.
 */
public final class AlterDomainSetNotNullRule extends DomainRule {

    @Override
    public String id() {
        return "alter-domain-set-not-null";
    }

    @Override
    public String summary() {
        return "ALTER DOMAIN … SET NOT NULL scans every table using the domain while blocking writes, and rejects old NULL writers";
    }

    @Override
    void check(RuleContext ctx, Change.AlterDomain ad) {
        if (!ad.action().equals("set not null")) return;
        List<QualifiedName> tables = tablesUsing(ctx, ad.name());
        tables.forEach(ctx::scans);
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "SET NOT NULL on domain " + ad.name().display() + " reads " + tablesText(tables) + " in full while holding a "
                        + "ShareLock on each (their writes wait), and afterwards every write of the running application "
                        + "version that stores NULL in such a column fails.",
                "Make the columns NOT NULL table by table instead (after backfilling): ADD CONSTRAINT … CHECK (col IS NOT NULL) "
                        + "NOT VALID, VALIDATE CONSTRAINT in a later transaction, SET NOT NULL (no scan on PostgreSQL 12+).");
    }
}
