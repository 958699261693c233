package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.Change;

/**
 * PostgreSQL 14.0 to 14.3 can build or rebuild indexes CONCURRENTLY with missing entries when
 * rows are updated during the build (silent corruption; fixed in 14.4, June 2022). Tandem knows
 * only the major version, so on 14 it reminds to check the minor one. Indexes on tables created in
 * the same migration see no concurrent writes and are exempt. Only the first such statement of a
 * migration gets the reminder.
 */
public final class ConcurrentIndexPg14CorruptionRule implements Rule {
    public static final String ID = "concurrent-index-pg14-corruption";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "On PostgreSQL 14.0-14.3 indexes built CONCURRENTLY can be silently corrupted (fixed in 14.4)";
    }

    @Override
    public void check(RuleContext ctx) {
        if (ctx.version().major() != 14) return;
        String what = concurrentBuild(ctx, ctx.change());
        // One reminder per migration: the bug is the server's, not the statement's, and a migration that
        // builds five indexes needs the minor version checked once.
        if (what == null || ctx.state().earlierChanges().stream().anyMatch(c -> concurrentBuild(ctx, c) != null)) return;
        ctx.report(StatementClass.COMPATIBLE,
                what + " runs on PostgreSQL 14: releases 14.0 to 14.3 can build such indexes with missing entries"
                        + " when rows change during the build, so queries using the index silently return wrong results.",
                "Make sure the server runs 14.4 or later (SHOW server_version;) before applying. Indexes built or rebuilt"
                        + " CONCURRENTLY on 14.0-14.3 should be checked with amcheck (SELECT bt_index_check('<index>'::regclass, true);)"
                        + " and rebuilt with REINDEX INDEX CONCURRENTLY on 14.4+.");
    }

    /** What {@code change} builds CONCURRENTLY on a pre-existing table, or null. */
    private static String concurrentBuild(RuleContext ctx, Change change) {
        return switch (change) {
            case Change.CreateIndex ci when ci.concurrently() && ctx.isPreExisting(ci.table()) ->
                    "CREATE INDEX CONCURRENTLY on " + ci.table().display();
            case Change.Reindex r when r.concurrently() && r.kind() != null && TableWorkAnalyzer.reindexesPreExisting(ctx, r) ->
                    "REINDEX " + r.kind().toUpperCase(java.util.Locale.ROOT) + " CONCURRENTLY"
                            + (r.name() == null ? "" : " " + r.name().display());
            default -> null;
        };
    }
}
