package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;

/**
 * In a migration that does not run in one transaction, a statement that succeeded stays applied
 * when a later one fails; the runner retries the whole migration, and a CREATE / DROP / ADD COLUMN
 * without IF [NOT] EXISTS then fails on the object it already made or removed. Advice only, and
 * only for statements that have a later statement in the migration and do not run inside an
 * explicit BEGIN … COMMIT. (Tandem's own executor records each step and resumes where it stopped;
 * this matters when the migration is also run by Flyway or Liquibase.)
 */
public final class NonTransactionalNotIdempotentRule implements Rule {
    public static final String ID = "non-transactional-not-idempotent";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "In a non-transactional migration, CREATE/DROP without IF [NOT] EXISTS breaks a retry";
    }

    @Override
    public void check(RuleContext ctx) {
        if (ctx.state().migrationTransactional() || ctx.state().inTransaction() || Lookahead.isLast(ctx)) return;
        String missing = switch (ctx.change()) {
            case Change.CreateTable ct when !ct.ifNotExists() && !ct.temporary() -> "CREATE TABLE IF NOT EXISTS";
            case Change.CreateIndex ci when !ci.ifNotExists() -> ci.concurrently()
                    ? "DROP INDEX CONCURRENTLY IF EXISTS before it (a failed concurrent build leaves an INVALID index that"
                            + " IF NOT EXISTS would keep)"
                    : "CREATE INDEX IF NOT EXISTS";
            case Change.DropTable dt when !dt.ifExists() -> "DROP TABLE IF EXISTS";
            case Change.DropIndex di when !di.ifExists() -> di.concurrently() ? "DROP INDEX CONCURRENTLY IF EXISTS" : "DROP INDEX IF EXISTS";
            case Change.DropView dv when !dv.ifExists() -> "DROP VIEW IF EXISTS";
            case Change.DropType dt when !dt.ifExists() -> "DROP TYPE IF EXISTS";
            case Change.CreateSchema cs when !cs.ifNotExists() -> "CREATE SCHEMA IF NOT EXISTS";
            case Change.DropSchema ds when !ds.ifExists() -> "DROP SCHEMA IF EXISTS";
            case Change.CreateView cv when !cv.orReplace() && !cv.materialized() -> "CREATE OR REPLACE VIEW";
            case Change.AlterTable at -> alterTable(at);
            default -> null;
        };
        if (missing == null) return;
        ctx.report(StatementClass.COMPATIBLE,
                "This migration does not run in one transaction: if a later statement fails, this one stays applied, and"
                        + " when the migration is retried this statement fails on what it already did.",
                "Make it repeatable: use " + missing + ".");
    }

    private static String alterTable(Change.AlterTable at) {
        for (AlterAction a : at.actions()) {
            switch (a) {
                case AlterAction.AddColumn ac when !ac.ifNotExists() -> {
                    return "ADD COLUMN IF NOT EXISTS";
                }
                case AlterAction.DropColumn dc when !dc.ifExists() -> {
                    return "DROP COLUMN IF EXISTS";
                }
                case AlterAction.DropConstraint dc when !dc.ifExists() -> {
                    return "DROP CONSTRAINT IF EXISTS";
                }
                default -> { }
            }
        }
        return null;
    }
}
