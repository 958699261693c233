package dev.tandem.plan;

import dev.tandem.catalog.IndexInfo;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import dev.tandem.sql.Token;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code REFRESH MATERIALIZED VIEW v} → {@code REFRESH MATERIALIZED VIEW CONCURRENTLY v}: the new
 * contents are computed beside the old ones and merged under ExclusiveLock, so the running app's
 * reads of the view go on (the plain form holds AccessExclusiveLock for the whole recomputation).
 * PostgreSQL 15 runs it inside a transaction block too (verified), so the step is transactional.
 * It needs a unique index on plain columns of the view without WHERE (PostgreSQL: "cannot refresh
 * materialized view … concurrently" otherwise); WITH NO DATA has no concurrent form.
 */
final class RefreshRecipe implements Recipe {
    static final Set<String> COVERS = Set.of("refresh-materialized-view-non-concurrent");

    @Override
    public Set<String> covers() {
        return COVERS;
    }

    Outcome refresh(PlanContext ctx, Change.RefreshMaterializedView r) {
        if (!r.withData()) {
            return Outcome.notYet("REFRESH … WITH NO DATA empties the view, which the running app version still reads; it has no"
                            + " concurrent form.",
                    "Refresh it with data, or stop reading the view in the app and empty or drop it after the deploy.");
        }
        Optional<IndexInfo> unique = ctx.schema().indexesOn(r.view()).stream()
                .filter(i -> i.unique() && i.valid() && i.where() == null
                        && i.elements().stream().allMatch(e -> e.matches("[a-z_][a-z0-9_$]*|\"[^\"]+\"")))
                .findFirst();
        if (unique.isEmpty()) {
            return Outcome.precondition("REFRESH … CONCURRENTLY needs a unique index on plain columns of " + r.view().display()
                            + " without WHERE, and none is known" + (ctx.schema().isLive() ? "." : " (plan with --url to read the"
                            + " database's indexes)."),
                    "Create one first: CREATE UNIQUE INDEX CONCURRENTLY … ON " + SqlText.name(r.view()) + " (<key columns>);");
        }
        List<Token> t = SqlText.tokens(ctx.sql());
        int view = SqlText.find(t, 0, "view");
        if (view < 0) return IndexRecipe.unrecognised("REFRESH MATERIALIZED VIEW");
        String sql = ctx.sql();
        String concurrent = sql.substring(0, t.get(view).end()) + " CONCURRENTLY" + sql.substring(t.get(view).end());
        return Outcome.steps().expand(ctx.transactional("Refresh the view with CONCURRENTLY: the new contents are merged in under"
                        + " ExclusiveLock, so reads of " + r.view().display() + " go on (the unique index "
                        + unique.get().name().display() + " makes it possible).",
                concurrent, List.of(PlanContext.lock(r.view(), LockMode.EXCLUSIVE)), null)).build();
    }
}
