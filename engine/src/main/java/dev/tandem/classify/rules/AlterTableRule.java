package dev.tandem.classify.rules;

import dev.tandem.classify.LockAnalyzer;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;

/**
 * A rule about one ALTER TABLE subcommand. Runs only for tables the application can already see:
 * a table created earlier in the same migration is invisible to other sessions until commit and
 * empty, so its locks, rewrites and scans harm nobody.
 */
abstract class AlterTableRule implements Rule {

    @Override
    public final void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at)) return;
        if (!ctx.isPreExisting(at.table())) return;
        for (AlterAction a : at.actions()) {
            check(ctx, at, a);
        }
    }

    /** Examines one subcommand of {@code at}, a pre-existing table. */
    abstract void check(RuleContext ctx, Change.AlterTable at, AlterAction action);

    /** Records a rewrite of the table and, unless ONLY, of the partitions the model knows. */
    static void rewrite(RuleContext ctx, Change.AlterTable at) {
        ctx.rewrites(at.table());
        if (!at.only()) LockAnalyzer.descendants(ctx.schema(), at.table()).forEach(ctx::rewrites);
    }

    /** Records a full read of the table and, unless ONLY, of the partitions the model knows. */
    static void scan(RuleContext ctx, Change.AlterTable at) {
        ctx.scans(at.table());
        if (!at.only()) LockAnalyzer.descendants(ctx.schema(), at.table()).forEach(ctx::scans);
    }

    /** {@code PostgreSQL 16}, for messages. */
    static String pg(RuleContext ctx) {
        return "PostgreSQL " + ctx.version();
    }

    /** The table as messages name it, with its size when the live catalog knows it. */
    static String name(RuleContext ctx, QualifiedName table) {
        return ctx.describe(table);
    }

    /** {@code public.users} without size, for SQL in fixes. */
    static String sql(QualifiedName table) {
        return table.toString();
    }
}
