package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * {@code ADD COLUMN c serial|bigserial|smallserial}: the column's default is nextval(…), which is
 * volatile, so every existing row is numbered by a rewrite of the table and its indexes under
 * AccessExclusiveLock (PG15: new relfilenode).
 */
public final class AddColumnSerialRule extends AlterTableRule {

    @Override
    public String id() {
        return "add-column-serial";
    }

    @Override
    public String summary() {
        return "ADD COLUMN … serial numbers every row by rewriting the table under an AccessExclusiveLock";
    }

    @Override
    void check(RuleContext ctx, Change.AlterTable at, AlterAction action) {
        if (!(action instanceof AlterAction.AddColumn ac) || !ac.column().isSerial()) return;
        ColumnDef c = ac.column();
        rewrite(ctx, at);
        String t = sql(at.table());
        String seq = at.table().name() + "_" + c.name() + "_seq";
        String intType = switch (c.type().name()) {
            case "bigserial" -> "bigint";
            case "smallserial" -> "smallint";
            default -> "integer";
        };
        ctx.report(StatementClass.ONLINE_REWRITE,
                "Adding " + c.type().name() + " column " + c.name() + " to " + name(ctx, at.table())
                        + " fills it from nextval(), a volatile default: " + pg(ctx)
                        + " rewrites the table and all its indexes under an AccessExclusiveLock, blocking every read and write on "
                        + at.table().display() + " until it ends.",
                "Create the sequence and a nullable column, number new rows through the default, and old rows in batches:\n"
                        + "  CREATE SEQUENCE " + seq + ";\n"
                        + "  ALTER TABLE " + t + " ADD COLUMN " + c.name() + " " + intType + ";\n"
                        + "  ALTER TABLE " + t + " ALTER COLUMN " + c.name() + " SET DEFAULT nextval('" + seq + "');\n"
                        + "  UPDATE " + t + " SET " + c.name() + " = nextval('" + seq + "') WHERE <key range> AND " + c.name()
                        + " IS NULL;  -- in batches\n"
                        + "  ALTER SEQUENCE " + seq + " OWNED BY " + t + "." + c.name() + ";\n"
                        + "then NOT NULL through CHECK (" + c.name() + " IS NOT NULL) NOT VALID + VALIDATE CONSTRAINT + SET NOT NULL.");
    }
}
