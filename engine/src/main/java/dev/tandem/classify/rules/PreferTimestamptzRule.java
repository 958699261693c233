package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;

/**
 * {@code timestamp} (without time zone) in a new table stores wall-clock time without a zone; moving
 * to timestamptz later rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+).
 * Style advice for CREATE TABLE only.
 */
public final class PreferTimestamptzRule implements Rule {
    public static final String ID = "prefer-timestamptz";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Prefer timestamptz over timestamp without time zone";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateTable ct) || !StyleTargets.declaresColumns(ct)) return;
        for (ColumnDef c : ct.columns()) {
            if (c.type() == null || !"timestamp".equals(c.type().name())) continue;
            ctx.report(StatementClass.COMPATIBLE,
                    ct.name().display() + "." + c.name() + " is timestamp without time zone: it stores wall-clock time with no"
                            + " zone, so values from servers or clients in different zones do not compare, and converting it"
                            + " later rewrites the table unless the session TimeZone is UTC.",
                    "Declare it " + c.name() + " timestamptz" + (c.type().modifiers().isEmpty() ? "" : "(" + c.type().modifiers().get(0) + ")")
                            + (c.type().isArray() ? "[]" : "") + ".");
        }
    }
}
