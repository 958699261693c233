package dev.tandem.classify.rules;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.Constraint;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * {@code ADD PRIMARY KEY USING INDEX idx} reuses the index but still makes its columns NOT NULL:
 * any column not already NOT NULL (or proven by a validated CHECK on PG 12+) is checked by a full
 * scan under the AccessExclusiveLock. When the index is unknown to the model its columns are
 * unknown, which counts as nullable.
 */
public final class PrimaryKeyUsingIndexScansNullableRule extends AlterTableRule {

    @Override
    public String id() {
        return "primary-key-using-index-scans-nullable";
    }

    @Override
    public String summary() {
        return "ADD PRIMARY KEY USING INDEX on columns not known NOT NULL scans the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddConstraint ac) || !(ac.constraint() instanceof Constraint.PrimaryKey pk)) return;
        if (pk.usingIndex() == null) return;
        Optional<IndexInfo> index = ctx.schema().index(QualifiedName.of(at.table().resolved().schema(), pk.usingIndex()));
        List<String> nullable = index.map(i -> i.elements().stream()
                .filter(c -> !NotNullAnalyzer.provenNotNull(ctx.table(at.table()), c, ctx.version())).toList()).orElse(null);
        if (nullable != null && nullable.isEmpty()) return;
        scan(ctx, at);
        String t = sql(at.table());
        String cols = nullable == null ? "the index's columns (unknown to Tandem)" : String.join(", ", nullable);
        String first = nullable == null || nullable.isEmpty() ? "<col>" : nullable.get(0);
        ctx.report(StatementClass.ONLINE_REWRITE,
                "PRIMARY KEY USING INDEX " + pk.usingIndex() + " makes " + cols + " NOT NULL, which " + pg(ctx) + " checks by "
                        + "reading all of " + name(ctx, at.table()) + " while holding an AccessExclusiveLock: every read and "
                        + "write on " + at.table().display() + " waits until the scan ends.",
                "Make the columns NOT NULL first without a long lock, then attach the index:\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + first + "_not_null CHECK (" + first + " IS NOT NULL) NOT VALID;\n"
                        + "  ALTER TABLE " + t + " VALIDATE CONSTRAINT " + first + "_not_null;  -- separate transaction\n"
                        + "  ALTER TABLE " + t + " ALTER COLUMN " + first + " SET NOT NULL;  -- no scan on PostgreSQL 12+\n"
                        + "  ALTER TABLE " + t + " ADD CONSTRAINT " + (pk.name() != null ? pk.name() : pk.usingIndex())
                        + " PRIMARY KEY USING INDEX " + pk.usingIndex() + ";");
    }
}
