package dev.tandem.classify.rules;

import dev.tandem.classify.RuleContext;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;

/**
 * Objects other than tables that an earlier statement of the same migration created: nothing
 * running can depend on them yet, so dropping or renaming them breaks no app version. (Tables
 * are tracked by {@link RuleContext#isPreExisting}.)
 */
final class CreatedObjects {
    private CreatedObjects() {}

    static boolean view(RuleContext ctx, QualifiedName view) {
        if (!ctx.isPreExisting(view)) return true; // materialized views are tracked like tables
        String name = view.display();
        return ctx.state().earlierChanges().stream()
                .anyMatch(c -> c instanceof Change.CreateView cv && cv.name().display().equals(name));
    }

    static boolean type(RuleContext ctx, QualifiedName type) {
        String name = type.display();
        return ctx.state().earlierChanges().stream().anyMatch(c -> switch (c) {
            case Change.CreateType ct -> ct.name().display().equals(name);
            case Change.CreateDomain cd -> cd.name().display().equals(name);
            default -> false;
        });
    }

    static boolean schema(RuleContext ctx, String schema) {
        return ctx.state().earlierChanges().stream()
                .anyMatch(c -> c instanceof Change.CreateSchema cs && cs.name().equals(schema));
    }
}
