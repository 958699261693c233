package dev.tandem.classify.rules;

import dev.tandem.catalog.TableInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule about ALTER DOMAIN: its cost lands on every pre-existing table with a column of the domain.
 * Skipped for a domain created earlier in the same migration (no pre-existing table can use it).
 */
abstract class DomainRule implements Rule {

    @Override
    public final void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterDomain ad)) return;
        // A domain created earlier in the same migration is used only by tables created since: all new.
        boolean newDomain = ctx.state().earlierChanges().stream()
                .anyMatch(c -> c instanceof Change.CreateDomain cd && cd.name().resolved().equals(ad.name().resolved()));
        if (!newDomain) check(ctx, ad);
    }

    abstract void check(RuleContext ctx, Change.AlterDomain ad);

    /** Pre-existing tables the model knows to have a column of the domain's type. */
    static List<QualifiedName> tablesUsing(RuleContext ctx, QualifiedName domain) {
        List<QualifiedName> out = new ArrayList<>();
        for (TableInfo t : ctx.schema().tables()) {
            boolean uses = t.columns().stream().anyMatch(c -> sameType(c.type().name(), domain));
            if (uses && ctx.isPreExisting(t.name())) out.add(t.name());
        }
        return out;
    }

    private static boolean sameType(String columnType, QualifiedName type) {
        int dot = columnType.lastIndexOf('.');
        String bare = dot >= 0 ? columnType.substring(dot + 1) : columnType;
        String schema = dot >= 0 ? columnType.substring(0, dot) : null;
        return bare.equals(type.name()) && (schema == null || type.schema() == null || schema.equals(type.schema()));
    }

    /** "public.a, public.b" or a generic phrase when the model knows none. */
    static String tablesText(List<QualifiedName> tables) {
        return tables.isEmpty() ? "every table with a column of this domain (none known to the replayed schema)"
                : String.join(", ", tables.stream().map(QualifiedName::display).toList());
    }
}
