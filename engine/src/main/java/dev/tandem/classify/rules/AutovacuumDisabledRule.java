package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ALTER TABLE … SET (autovacuum_enabled = false) (or toast.autovacuum_enabled) takes
 * ShareUpdateExclusiveLock (PG15) and is compatible, but from then on dead rows pile up and
 * statistics go stale; only anti-wraparound vacuums still run. Advice. Not flagged when a later
 * statement of the same migration turns it back on (the bulk-load pattern).
 */
public final class AutovacuumDisabledRule implements Rule {
    public static final String ID = "autovacuum-disabled";
    private static final Set<String> KEYS = Set.of("autovacuum_enabled", "toast.autovacuum_enabled");
    private static final Set<String> OFF = Set.of("false", "off", "0", "no", "f", "n");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Turning autovacuum off for a table lets dead rows and stale statistics pile up";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.AlterTable at)) return;
        for (AlterAction a : at.actions()) {
            if (!(a instanceof AlterAction.SetStorageParameters sp) || sp.reset()) continue;
            for (Map.Entry<String, String> e : sp.parameters().entrySet()) {
                if (!KEYS.contains(e.getKey().toLowerCase(Locale.ROOT)) || e.getValue() == null
                        || !OFF.contains(e.getValue().toLowerCase(Locale.ROOT).strip())) continue;
                if (reenabledLater(ctx, at, e.getKey())) return;
                ctx.report(StatementClass.COMPATIBLE,
                        "SET (" + e.getKey() + " = " + e.getValue() + ") stops autovacuum on " + ctx.describe(at.table())
                                + ": dead rows pile up (bloat, slower scans) and planner statistics go stale; only"
                                + " anti-wraparound vacuums still run.",
                        "Keep autovacuum on and tune it for the table instead, e.g. ALTER TABLE " + at.table()
                                + " SET (autovacuum_vacuum_scale_factor = 0.01); if it is off only for a bulk load, turn it"
                                + " back on in the same migration: ALTER TABLE " + at.table() + " RESET (" + e.getKey() + ");");
                return;
            }
        }
    }

    private static boolean reenabledLater(RuleContext ctx, Change.AlterTable at, String key) {
        String table = at.table().display();
        return Lookahead.following(ctx).stream().anyMatch(c -> c instanceof Change.AlterTable later
                && later.table().display().equals(table)
                && later.actions().stream().anyMatch(a -> a instanceof AlterAction.SetStorageParameters sp
                        && sp.parameters().containsKey(key)
                        && (sp.reset() || !OFF.contains(String.valueOf(sp.parameters().get(key)).toLowerCase(Locale.ROOT)))));
    }
}
