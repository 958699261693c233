package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * TRUNCATE empties a table at once under AccessExclusiveLock (brief, but reads wait for it and it
 * queues behind running queries); the data the running app version uses is gone. Destructive,
 * so it belongs to the contract phase. Tables created earlier in the migration are exempt.
 */
public final class TruncateTableRule implements Rule {
    public static final String ID = "truncate-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "TRUNCATE deletes every row of a table the running app still uses";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Truncate tr)) return;
        List<QualifiedName> tables = tr.tables().stream().filter(ctx::isPreExisting).toList();
        if (tables.isEmpty()) return;
        String names = String.join(", ", tables.stream().map(ctx::describe).toList());
        ctx.report(StatementClass.EXPAND_CONTRACT,
                "TRUNCATE deletes every row of " + names + " at once, under AccessExclusiveLock (reads and writes wait"
                        + " for it): the running app version loses the data it works with.",
                "Only in the contract phase, after the app stopped using the data. If the table must stay usable while"
                        + " rows go, delete in batches instead (Tandem's batched delete: DELETE FROM " + tables.get(0)
                        + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + tables.get(0) + " LIMIT 5000)); repeated, one"
                        + " transaction per batch).");
    }
}
