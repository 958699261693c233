package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.QualifiedName;
import java.util.Locale;

/**
 * ALTER TABLE … SET TABLESPACE copies every data file of the table to the new tablespace under
 * AccessExclusiveLock (PG15: {@code relfilenode} changes); ALTER INDEX … SET TABLESPACE copies the
 * index under AccessExclusiveLock on the index (PG15), which every query planning on the table
 * needs. Core PostgreSQL has no online form (pg_repack does, as an extension): blocking. Tables
 * created earlier in the same migration, partitioned tables (nothing to move) and tables already in
 * the tablespace ({@link StorageMoves}) are exempt. An index's tablespace is not modelled: ALTER
 * INDEX … SET TABLESPACE is flagged even when the index is there already (PostgreSQL copies
 * nothing then).
 */
public final class SetTablespaceRule implements Rule {
    public static final String ID = "set-tablespace";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "SET TABLESPACE copies the table or index under AccessExclusiveLock";
    }

    @Override
    public void check(RuleContext ctx) {
        switch (ctx.change()) {
            // A partitioned table has no storage: SET TABLESPACE only sets the default for partitions
            // created later and moves nothing (PG15: the partitions' relfilenode stays, only the parent is
            // locked); StorageMoves says so.
            // Moving a table to the tablespace it is in returns after the lock, copying nothing.
            case Change.AlterTable at when ctx.isPreExisting(at.table()) -> {
                for (AlterAction a : at.actions()) {
                    if (a instanceof AlterAction.SetTablespace ts && StorageMoves.moves(ctx.table(at.table()), ts)) {
                        ctx.rewrites(at.table());
                        ctx.report(StatementClass.BLOCKING,
                                "SET TABLESPACE " + ts.tablespace() + " copies every data file of " + ctx.describe(at.table())
                                        + " to the new tablespace under AccessExclusiveLock: every read and write of it"
                                        + " waits for the whole copy.",
                                fix());
                        return;
                    }
                }
            }
            case Change.AlterIndex ai when "set tablespace".equals(ai.action() == null ? null : ai.action().toLowerCase(Locale.ROOT)) -> {
                QualifiedName table = ctx.schema().index(ai.index()).map(i -> i.table()).orElse(null);
                if (table != null && !ctx.isPreExisting(table)) return;
                ctx.report(StatementClass.BLOCKING,
                        "ALTER INDEX " + ai.index().display() + " SET TABLESPACE " + ai.target() + " copies the index under"
                                + " AccessExclusiveLock on it: every query on " + (table != null ? ctx.describe(table) : "its table")
                                + " that plans with the index (in practice all of them) waits for the whole copy.",
                        "For an index: build a new one in the target tablespace online (CREATE INDEX CONCURRENTLY … TABLESPACE "
                                + ai.target() + "), then DROP INDEX CONCURRENTLY the old one. " + fix());
            }
            default -> { }
        }
    }

    private static String fix() {
        return "Core PostgreSQL has no online way to move a table: use pg_repack --tablespace, or create a new table in"
                + " the tablespace (CREATE TABLE … TABLESPACE …), copy in batches and swap names, or accept a maintenance"
                + " window.";
    }
}
