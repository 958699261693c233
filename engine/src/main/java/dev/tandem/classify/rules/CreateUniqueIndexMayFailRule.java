package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * A unique index built CONCURRENTLY on a table with data fails when existing rows, or rows written
 * during the build, have duplicate keys; unlike a plain CREATE INDEX the failure is not rolled
 * back: an INVALID index stays behind, still maintained on every write and never used by queries,
 * and the next attempt fails with "relation … already exists" (IF NOT EXISTS would silently keep
 * the broken one). Advice only: the statement itself is the online form.
 */
public final class CreateUniqueIndexMayFailRule implements Rule {
    public static final String ID = "create-unique-index-may-fail";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "CREATE UNIQUE INDEX CONCURRENTLY fails on duplicates and leaves an INVALID index behind";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.CreateIndex ci) || !ci.unique() || !ci.concurrently()) return;
        if (!ctx.isPreExisting(ci.table())) return;
        String cols = String.join(", ", ci.elements());
        String where = ci.where() != null ? " WHERE " + ci.where() : "";
        String name = ci.name() != null ? ci.name().toString() : "<the index>";
        ctx.report(StatementClass.COMPATIBLE,
                "CREATE UNIQUE INDEX CONCURRENTLY on " + ctx.describe(ci.table()) + " fails if existing rows, or rows"
                        + " the running app writes during the build, share a key (" + cols + "); the failed build is not"
                        + " rolled back: it leaves an INVALID index that slows every write and blocks a retry.",
                "Look for duplicates first: SELECT " + cols + ", count(*) FROM " + ci.table() + where + " GROUP BY " + cols
                        + " HAVING count(*) > 1; and make the app stop writing them. After a failure drop the leftover"
                        + " before retrying: DROP INDEX CONCURRENTLY IF EXISTS " + name + ";");
    }
}
