package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import java.util.List;

/**
 * {@code ADD COLUMN c … DEFAULT volatile()}: since PostgreSQL 11 a non-volatile default is stored
 * once in the catalog, but a volatile one (random(), clock_timestamp(), gen_random_uuid(),
 * nextval(), any function not known to be IMMUTABLE/STABLE) must be computed per row, so the table
 * and all its indexes are rewritten under AccessExclusiveLock (PG15: new relfilenode).
 * Serial, identity and generated columns have rules of their own.
 */
public final class AddColumnVolatileDefaultRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-volatile-default";
    }

    @Override
    public String summary() {
        return "ADD COLUMN with a volatile DEFAULT rewrites the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac)) return;
        ColumnDef c = ac.column();
        if (c.defaultValue() == null || c.isSerial() || c.identity() != null || c.generated() != null) return;
        List<String> functions = VolatilityAnalyzer.volatileFunctions(c.defaultValue());
        if (functions.isEmpty()) return;
        rewrite(ctx, at);
        String t = sql(at.table());
        String why = functions.stream().allMatch(VolatilityAnalyzer::knownVolatile)
                ? "is volatile" : "is volatile or not known to be IMMUTABLE/STABLE";
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding column " + c.name() + " with DEFAULT " + c.defaultValue().text() + " rewrites "
                        + name(ctx, at.table()) + " and rebuilds all its indexes on " + pg(ctx) + ": "
                        + String.join(", ", functions) + " " + why + ", so every existing row gets its own value. "
                        + "The rewrite holds an AccessExclusiveLock: every read and write on " + at.table().display() + " waits until it ends.",
                "Add the column without the default, give new rows the default, then fill old rows in batches:\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + c.type().raw() + ";\n"
                        + "  ALTER TABLE " + t + " ALTER COLUMN " + c.name() + " SET DEFAULT " + c.defaultValue().text() + ";\n"
                        + "  UPDATE " + t + " SET " + c.name() + " = " + c.defaultValue().text() + " WHERE <key range> AND "
                        + c.name() + " IS NULL;  -- batch by key, outside the DDL transaction"
                        + (c.impliesNotNull() ? "\nthen make it NOT NULL without a long lock: ADD CONSTRAINT … CHECK ("
                        + c.name() + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later transaction, SET NOT NULL." : ""));
    }
}
