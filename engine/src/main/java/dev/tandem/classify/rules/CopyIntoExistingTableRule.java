package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * COPY … FROM into a pre-existing table takes only RowExclusiveLock, so traffic continues, but the
 * load is one transaction: index maintenance, triggers and foreign-key checks for every row, a WAL
 * spike that replicas must replay, and nothing visible until commit. Advice: size it, or load it
 * outside the migration. Loading a table created earlier in the same migration is the normal case
 * (exempt).
 */
public final class CopyIntoExistingTableRule implements Rule {
    public static final String ID = "copy-into-existing-table";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "COPY into an existing table loads everything in one transaction";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.Copy c) || !c.from() || !ctx.isPreExisting(c.table())) return;
        ctx.report(StatementClass.COMPATIBLE,
                "COPY … FROM loads rows into " + ctx.describe(c.table()) + " in one transaction: RowExclusiveLock only, so"
                        + " reads and writes continue, but every row updates the indexes, fires triggers and checks foreign"
                        + " keys, the WAL volume spikes (replicas lag) and nothing is visible until it commits.",
                "Fine for small reference data. For large loads COPY into a new staging table and move the rows in batches"
                        + " (INSERT … SELECT … LIMIT per transaction), or load outside the migration.");
    }
}
