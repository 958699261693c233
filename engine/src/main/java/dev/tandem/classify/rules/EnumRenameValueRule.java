package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import java.util.Locale;

/**
 * ALTER TYPE … RENAME VALUE (PostgreSQL 10+) is catalog-only, but from its commit on the running
 * app version's writes of the old label fail with "invalid input value for enum" and its reads get
 * a label it does not know. PostgreSQL cannot drop an enum value, so the recipe adds the new label
 * next to the old one. Types created, and labels added, earlier in the same migration are exempt.
 */
public final class EnumRenameValueRule implements Rule {
    public static final String ID = "enum-rename-value";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Renaming an enum value breaks the running app version's reads and writes of it";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterType t) || t.action() == null
                || !t.action().toLowerCase(Locale.ROOT).equals("rename value")) {
            return;
        }
        if (CreatedObjects.type(ctx, t.name()) || addedInMigration(ctx, t)) return;
        String from = t.position() != null ? EnumLabels.literal(t.position()) : "the old value";
        String to = t.value() != null ? EnumLabels.literal(t.value()) : "the new one";
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "Renaming " + from + " to " + to + " in enum " + t.name().display() + " breaks the running app version: its"
                        + " writes of " + from + " fail with \"invalid input value for enum\" and it reads " + to
                        + ", which it does not know.",
                "Expand: ALTER TYPE " + t.name() + " ADD VALUE IF NOT EXISTS " + to + "; deploy an app that reads both and"
                        + " writes " + to + "; backfill in batches (UPDATE … SET <column> = " + to + " WHERE <column> = " + from
                        + "). Contract: stop accepting " + from + " (a CHECK constraint); an enum value cannot be dropped, only"
                        + " the whole type replaced.");
    }

    /** Whether the label being renamed was added earlier in this migration: no app version knows it yet. */
    private static boolean addedInMigration(RuleContext ctx, Change.AlterType rename) {
        if (rename.position() == null) return false;
        String type = rename.name().display();
        String label = EnumLabels.unquoted(rename.position());
        return ctx.state().earlierChanges().stream().anyMatch(c -> c instanceof Change.AlterType add
                && EnumLabels.addsValue(add) && add.name().display().equals(type)
                && EnumLabels.unquoted(add.value()).equals(label));
    }
}
