package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * {@code ADD COLUMN c json}: the json type has no equality operator, so the running application's
 * queries that compare whole rows of the table (SELECT DISTINCT *, UNION, GROUP BY over every
 * column, {@code row IN (…)}) start failing with "could not identify an equality operator for type
 * json". Advice (compatible): the lock is brief and nothing is rewritten.
 */
public final class AddColumnJsonRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-json";
    }

    @Override
    public String summary() {
        return "A json column has no equality operator: whole-row DISTINCT / UNION / GROUP BY queries on the table fail; use jsonb";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac) || !ac.column().type().name().equals("json")) return;
        ColumnDef c = ac.column();
        ctx.report(StatementClass.COMPATIBLE,
                "Column " + c.name() + " of " + at.table().display() + " has type json, which has no equality operator: "
                        + "queries that compare whole rows of the table (SELECT DISTINCT *, UNION, GROUP BY every column) fail "
                        + "with \"could not identify an equality operator for type json\" once it exists, including those of "
                        + "the running application version.",
                "Use jsonb: ALTER TABLE " + sql(at.table()) + " ADD COLUMN " + c.name() + " jsonb"
                        + (c.type().isArray() ? "[]" : "") + ";");
    }
}
