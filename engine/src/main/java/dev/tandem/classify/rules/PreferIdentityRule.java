package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * serial/bigserial columns in a new table: a separately owned sequence with a nextval default,
 * whose permissions, ownership and dump/restore need care. Identity columns (PostgreSQL 10+) are the
 * SQL-standard form. Style advice for CREATE TABLE only.
 */
public final class PreferIdentityRule implements Rule {
    public static final String ID = "prefer-identity";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Prefer identity columns over serial";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateTable ct) || !StyleTargets.declaresColumns(ct)) return;
        for (ColumnDef c : ct.columns()) {
            // A too-small serial primary key gets one finding, prefer-bigint-primary-key's, whose fix is an identity too.
            if (c.type() == null || !c.isSerial() || PreferBigintPrimaryKeyRule.tooSmallKey(ct, c)) continue;
            String base = switch (c.type().name()) {
                case "smallserial" -> "smallint";
                case "serial" -> "integer";
                default -> "bigint";
            };
            ctx.report(StatementClass.COMPATIBLE,
                    ct.name().display() + "." + c.name() + " is " + c.type().name() + ": a sequence owned separately, with a"
                            + " nextval default that grants, ownership changes and copies of the table must handle by hand.",
                    "Use an identity column: " + c.name() + " " + (base.equals("integer") ? "bigint" : base)
                            + " GENERATED ALWAYS AS IDENTITY (or BY DEFAULT AS IDENTITY if the app inserts ids itself).");
        }
    }
}
