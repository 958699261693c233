package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A lock lasts until the transaction ends, not until the statement that took it ends. When an
 * earlier statement of the open transaction took AccessExclusiveLock on a pre-existing table, every
 * query on that table waits while a later slow statement (a scan, rewrite, index build, UPDATE,
 * DELETE, INSERT … SELECT, COPY, refresh) runs. Flagged only when the slow statement does not itself
 * take AccessExclusiveLock on the held table — then the earlier lock adds nothing — and only for
 * work on pre-existing tables (see {@link TableWorkAnalyzer}). VALIDATE CONSTRAINT of a constraint
 * added NOT VALID in the same transaction is the constraint rules' hazard, not this one's.
 * Online-rewrite: Tandem's plan commits after each statement that takes AccessExclusiveLock.
 */
public final class WorkAfterAccessExclusiveLockRule implements Rule {
    public static final String ID = "work-after-access-exclusive-lock";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Slow work in a transaction that already holds AccessExclusiveLock keeps the table blocked";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!ctx.state().inTransaction()) return;
        Set<String> lockedExplicitly = explicitlyLocked(ctx);
        List<String> held = new ArrayList<>();
        for (Map.Entry<String, LockMode> e : ctx.state().heldLocks().entrySet()) {
            if (e.getValue() != LockMode.ACCESS_EXCLUSIVE || lockedExplicitly.contains(e.getKey())) continue;
            boolean retakenHere = ctx.locks().stream()
                    .anyMatch(l -> l.table().equals(e.getKey()) && l.mode() == LockMode.ACCESS_EXCLUSIVE);
            if (!retakenHere) held.add(e.getKey());
        }
        if (held.isEmpty()) return;
        Optional<String> work = TableWorkAnalyzer.slowWork(ctx);
        if (work.isEmpty()) return;
        String tables = String.join(", ", held);
        ctx.report(StatementClass.ONLINE_REWRITE,
                "This statement runs " + work.get() + " while the transaction still holds AccessExclusiveLock on " + tables
                        + " from an earlier statement: every read and write of " + tables + " waits until the whole"
                        + " transaction commits, including this slow part.",
                "Commit right after the statement that takes AccessExclusiveLock and run this one in a later transaction"
                        + " (Tandem's plan runs them as separate steps; without Tandem, split the migration into two).");
    }

    /**
     * Tables an earlier LOCK TABLE … IN ACCESS EXCLUSIVE MODE of the open transaction locked: that is
     * {@link LockTableRule}'s finding, which already says the lock lasts as long as the rest of the
     * transaction; repeating it on every later statement adds nothing.
     */
    private static Set<String> explicitlyLocked(RuleContext ctx) {
        Set<String> out = new HashSet<>();
        for (Change c : ctx.state().transactionChanges()) {
            if (c instanceof Change.LockTable lt && (lt.mode() == null || lt.mode() == LockMode.ACCESS_EXCLUSIVE)) {
                lt.tables().forEach(t -> out.add(t.display()));
            }
        }
        return out;
    }
}
