package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import dev.tandem.sql.Constraint;
import java.util.Set;

/**
 * A new table whose primary key column is integer, smallint, serial or smallserial: it runs out at
 * 2,147,483,647 (32,767), and widening it later rewrites the table and every referencing foreign key
 * column. Style advice for CREATE TABLE only.
 */
public final class PreferBigintPrimaryKeyRule implements Rule {
    public static final String ID = "prefer-bigint-primary-key";
    private static final Set<String> SMALL = Set.of("integer", "smallint", "serial", "smallserial");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Primary keys of integer/smallint run out; changing them later rewrites the table";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateTable ct) || !StyleTargets.declaresColumns(ct)) return;
        for (ColumnDef c : ct.columns()) {
            boolean pk = c.constraints().stream().anyMatch(k -> k instanceof Constraint.PrimaryKey)
                    || ct.constraints().stream().anyMatch(k -> k instanceof Constraint.PrimaryKey p
                            && p.columns().size() == 1 && p.columns().get(0).equals(c.name()));
            if (!pk || c.type() == null || c.type().isArray() || !SMALL.contains(c.type().name())) continue;
            ctx.report(StatementClass.COMPATIBLE,
                    "Primary key " + ct.name().display() + "." + c.name() + " is " + c.type().name() + ": it runs out at "
                            + (c.type().name().startsWith("small") ? "32,767" : "2,147,483,647") + ", and widening it later"
                            + " rewrites the table and every foreign key column that references it.",
                    "Declare it bigint from the start: " + c.name()
                            + (c.isSerial() || c.identity() != null ? " bigint GENERATED ALWAYS AS IDENTITY" : " bigint")
                            + " PRIMARY KEY.");
        }
    }
}
