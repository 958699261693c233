package dev.tandem.classify.rules;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;
import java.util.Optional;

/**
 * REFRESH MATERIALIZED VIEW without CONCURRENTLY recomputes the view under AccessExclusiveLock on it
 * (PG15), so every query reading it waits for the whole recomputation. CONCURRENTLY takes
 * ExclusiveLock instead (PG15; reads continue) and needs a unique index on the view over plain
 * columns without WHERE (PG15: "cannot refresh materialized view … concurrently" otherwise): online-rewrite.
 * WITH NO DATA empties the view, so readers get "materialized view … has not been populated" until
 * the next refresh: that breaks the running app version, expand-contract. Views created earlier in
 * the same migration are exempt.
 */
public final class RefreshMaterializedViewNonConcurrentRule implements Rule {
    public static final String ID = "refresh-materialized-view-non-concurrent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every reader of the view";
    }

    @Override
    public void check(RuleContext ctx) {
        if (!(ctx.change() instanceof Change.RefreshMaterializedView r)) return;
        if (!ctx.isPreExisting(r.view())) return;
        if (r.concurrently()) {
            // no finding: readers go on; but the new contents are diffed against the whole view (traced)
            ctx.scans(r.view());
            return;
        }
        String view = ctx.describe(r.view());
        if (!r.withData()) {
            ctx.report(StatementClass.EXPAND_CONTRACT,
                    "REFRESH MATERIALIZED VIEW " + view + " WITH NO DATA empties the view under AccessExclusiveLock: the"
                            + " running app version's queries on it fail with \"materialized view has not been populated\""
                            + " until it is refreshed again.",
                    "Refresh it with data instead (REFRESH MATERIALIZED VIEW CONCURRENTLY " + r.view() + ";), or stop reading"
                            + " it in the app first and empty or drop it in the contract phase.");
            return;
        }
        // the view is recomputed into new storage, swapped in at the end (traced: a new relfilenode)
        ctx.rewrites(r.view());
        Optional<IndexInfo> unique = ctx.schema().indexesOn(r.view()).stream()
                .filter(i -> i.unique() && i.valid() && i.where() == null
                        && i.elements().stream().allMatch(e -> e.matches("[a-z_][a-z0-9_$]*|\"[^\"]+\"")))
                .findFirst();
        boolean known = ctx.table(r.view()).isPresent();
        String index = unique.isPresent()
                ? " It has the unique index " + unique.get().name().display() + " that CONCURRENTLY needs."
                : known
                        ? " CONCURRENTLY needs a unique index on plain columns of the view without WHERE, which it does not"
                                + " have yet: first CREATE UNIQUE INDEX CONCURRENTLY " + r.view().name() + "_key_idx ON "
                                + r.view() + " (<key columns>);"
                        : " CONCURRENTLY needs a unique index on plain columns of the view without WHERE (CREATE UNIQUE INDEX"
                                + " CONCURRENTLY … ON " + r.view() + " (<key columns>)) if it has none.";
        ctx.report(StatementClass.ONLINE_REWRITE,
                "REFRESH MATERIALIZED VIEW " + view + " recomputes it under AccessExclusiveLock: every query reading the"
                        + " view waits until the refresh ends.",
                "REFRESH MATERIALIZED VIEW CONCURRENTLY " + r.view() + "; computes the new contents next to the old and"
                        + " applies the difference under ExclusiveLock, so reads continue (only other refreshes wait)." + index);
    }
}
