package dev.tandem.classify.rules;

import dev.tandem.classify.LockAnalyzer;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * A rule about ALTER DOMAIN: its cost lands on every pre-existing table with a column of the domain.
 * Skipped for a domain created earlier in the same migration when no pre-existing table has a column
 * of it (a new domain's columns are all in the model, unlike an old domain's).
 */
abstract class DomainRule implements Rule {

    @Override
    public final void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterDomain ad)) return;
        // A pre-existing table may have been given a column of the new domain (ADD COLUMN, ALTER
        // COLUMN … TYPE) earlier in the migration: ALTER DOMAIN then scans it (PG15 checked).
        boolean newDomain = ctx.state().earlierChanges().stream()
                .anyMatch(c -> c instanceof Change.CreateDomain cd && cd.name().resolved().equals(ad.name().resolved()));
        if (newDomain && tablesUsing(ctx, ad.name()).isEmpty()) return;
        check(ctx, ad);
    }

    abstract void check(RuleContext ctx, Change.AlterDomain ad);

    /** Pre-existing tables the model knows to have a column of the domain's type (those the ALTER locks). */
    static List<QualifiedName> tablesUsing(RuleContext ctx, QualifiedName domain) {
        return LockAnalyzer.tablesUsingType(ctx.schema(), domain).stream().filter(ctx::isPreExisting).toList();
    }

    /** "public.a, public.b" or a generic phrase when the model knows none. */
    static String tablesText(List<QualifiedName> tables) {
        return tables.isEmpty() ? "every table with a column of this domain (none known to the replayed schema)"
                : String.join(", ", tables.stream().map(QualifiedName::display).toList());
    }
}
