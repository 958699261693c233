package dev.tandem.classify.rules;

import dev.tandem.catalog.SchemaReplayer;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import java.util.List;

/**
 * {@code ADD PRIMARY KEY (cols)} builds its unique index under an AccessExclusiveLock, and makes
 * each column NOT NULL, scanning for NULLs unless the column is already NOT NULL (or proven so by a
 * validated CHECK on PG 12+). {@code PRIMARY KEY USING INDEX} has its own rule.
 */
public final class AddPrimaryKeyBuildsIndexRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-primary-key-builds-index";
    }

    @Override
    public String summary() {
        return "ADD PRIMARY KEY builds its index (and checks NOT NULL) under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.PrimaryKey pk)) return;
        if (pk.usingIndex() != null) return;
        scan(ctx, at);
        String t = sql(at.table());
        String cols = String.join(", ", pk.columns());
        String cname = pk.name() != null ? pk.name() : SchemaReplayer.objectName(at.table().name(), null, "pkey");
        List<String> nullable = pk.columns().stream()
                .filter(c -> !NotNullAnalyzer.provenNotNull(ctx.table(at.table()), c, ctx.version())).toList();
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding PRIMARY KEY (" + cols + ") to " + name(ctx, at.table()) + " builds a unique index by reading the whole "
                        + "table" + (nullable.isEmpty() ? "" : " and checks " + String.join(", ", nullable) + " for NULLs")
                        + " while holding an AccessExclusiveLock: every read and write on " + at.table().display() + " waits until it is done.",
                (nullable.isEmpty() ? "" : "Make " + String.join(", ", nullable) + " NOT NULL first without a long lock (CHECK (… IS "
                        + "NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL), then b") + (nullable.isEmpty() ? "B" : "")
                        + "uild the index without blocking and attach it:\n"
                        + "  CREATE UNIQUE INDEX CONCURRENTLY " + cname + " ON " + t + " (" + cols + ");  -- outside a transaction\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + cname + " PRIMARY KEY USING INDEX " + cname + ";");
    }
}
