package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * ALTER TYPE … ADD VALUE is catalog-only (no table lock, PG15) and compatible for the database, but
 * the running app version may read rows with a value it does not know (a failed enum mapping, an
 * unhandled case) as soon as the new version writes it. Since PostgreSQL 12 it may run inside a
 * transaction block, but the value cannot be used until that transaction commits
 * ({@link EnumValueUsedInSameTransactionRule}). Without BEFORE/AFTER the value sorts last. Advice;
 * types created earlier in the same migration are exempt.
 */
public final class EnumAddValueRule implements Rule {
    public static final String ID = "enum-add-value";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "A new enum value reaches the running app version, which may not handle it";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterType t) || !EnumLabels.addsValue(t)) return;
        if (CreatedObjects.type(ctx, t.name())) return;
        String value = EnumLabels.literal(t.value());
        ctx.report(StatementClass.COMPATIBLE,
                "Adding " + value + " to enum " + t.name().display() + " is instant, but the running app version may read"
                        + " rows holding " + value + " as soon as anything writes it, and may fail on a value it does not know"
                        + (t.position() == null ? "; without BEFORE/AFTER it sorts after every existing value." : "."),
                "Deploy an app version that reads " + value + " before any version writes it: add the value in expand,"
                        + " start writing it after the deploy. "
                        + (t.ifNotExists() ? "" : "Write ALTER TYPE " + t.name() + " ADD VALUE IF NOT EXISTS " + value
                                + " so a retry does not fail. ")
                        + "Commit before using the value.");
    }
}
