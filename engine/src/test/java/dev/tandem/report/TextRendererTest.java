package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextRendererTest {

    private static String plain() {
        return new TextRenderer(false, ScriptLocator.under(Path.of("db"))).render(Samples.mixed());
    }

    @Test
    void withoutColourThereAreNoEscapes() {
        assertThat(plain()).doesNotContain("\u001b");
    }

    @Test
    void withColourClassesAreColoured() {
        String out = new TextRenderer(true).render(Samples.mixed());
        assertThat(out).contains("\u001b[1;31mblocking\u001b[0m").contains("\u001b[33mexpand-contract");
    }

    @Test
    void headerPerMigrationAndLinePerStatement() {
        String out = plain();
        assertThat(out.lines()).contains(
                "2  V2__rename_customer_name.sql  expand-contract",
                "  db/V2__rename_customer_name.sql:2  expand-contract  ALTER TABLE customers RENAME COLUMN name TO full_name",
                "  db/V2__rename_customer_name.sql:5  online-rewrite   CREATE INDEX orders_customer_idx ON orders (customer_id)",
                "  db/V1__create_customers.sql:3  compatible       CREATE TABLE customers ( ...");
    }

    @Test
    void locksRewritesScansFindingsAndFixes() {
        String out = plain();
        assertThat(out.lines()).contains(
                "      lock     public.customers AccessExclusiveLock",
                "      scan     public.orders",
                "      rewrite  public.orders",
                "      [rename-column] " + Samples.RENAME.message(),
                "        fix: " + Samples.RENAME.fix(),
                "      suppressed: missing-lock-timeout");
    }

    @Test
    void summaryLineCountsEveryClass() {
        assertThat(plain().lines()).contains("Summary: 3 migrations, 5 statements: 2 compatible, 1 online-rewrite, "
                + "1 expand-contract, 0 review, 1 blocking (1 finding suppressed). Verdict: blocking");
    }

    @Test
    void longSqlIsCutToOneLine() {
        String sql = "UPDATE t SET x = " + "1 + ".repeat(50) + "1";
        assertThat(TextRenderer.firstLine(sql, 20)).isEqualTo("UPDATE t SET x = 1 + ...");
        assertThat(TextRenderer.firstLine("SELECT 1", 20)).isEqualTo("SELECT 1");
        assertThat(TextRenderer.firstLine("SELECT\n 1", 20)).isEqualTo("SELECT ...");
    }

    // ------------------------------------------------------------------ release plan

    private static String withPlan(ReleasePlan plan) {
        return new TextRenderer(false, ScriptLocator.under(Path.of("db"))).render(Samples.mixed(), plan);
    }

    @Test
    void releasePlanComesAfterTheMigrationsAndBeforeTheSummary() {
        String out = withPlan(Samples.plan());
        List<String> lines = out.lines().toList();
        int migrations = lines.indexOf("3  V3__maintenance.sql  blocking");
        int release = lines.indexOf("Release plan: 2 expand, 2 backfill, 1 contract steps; 1 statement not planned: "
                + "the release cannot run until it is resolved");
        assertThat(migrations).isPositive();
        assertThat(release).isGreaterThan(migrations);
        assertThat(lines.get(lines.size() - 1)).startsWith("Summary: ");
        // Without a plan, no release section.
        assertThat(plain()).doesNotContain("Release plan").doesNotContain("DEPLOY");
    }

    @Test
    void stepsAreNumberedPerPhaseWithSqlLocksAndRollback() {
        String out = withPlan(Samples.plan());
        assertThat(out).contains("""
                EXPAND  before the deploy: both application versions keep working
                  1. db/V2__rename_customer_name.sql:2  Add full_name nullable (brief AccessExclusiveLock).
                         ALTER TABLE customers ADD COLUMN full_name text
                       lock      public.customers AccessExclusiveLock
                       rollback  ALTER TABLE customers DROP COLUMN IF EXISTS full_name
                  2. db/V2__rename_customer_name.sql:5  Build index orders_customer_idx without blocking writes (ShareUpdateExclusiveLock).
                         CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id)
                       no transaction (autocommit; safe to run again after an interruption)
                       lock      public.orders ShareUpdateExclusiveLock
                       only if   SELECT 1 WHERE to_regclass('orders_customer_idx') IS NULL  (returns a row)
                       cleanup   DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx
                         when    SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('orders_customer_idx') AND NOT indisvalid
                       rollback  DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx
                """);
    }

    @Test
    void backfillStepsShowWhatTheyDoInBatches() {
        String out = withPlan(Samples.plan());
        assertThat(out).contains("""
                BACKFILL  batched data changes: both application versions still run
                  1. db/V2__rename_customer_name.sql:2  Copy name into full_name in keyset batches.
                         UPDATE customers SET full_name = name WHERE full_name IS NULL
                       in batches by (id), each in a short transaction of its own; resumable
                       rollback  nothing to undo
                  2. db/V2__rename_customer_name.sql:2  Delete the test rows in keyset batches.
                         DELETE FROM customers
                       in batches by (tenant, id), each in a short transaction of its own; resumable
                       irreversible: the deleted rows are gone
                """);
    }

    @Test
    void deployLineSeparatesBackfillFromContractAndDestructiveStepsAreMarked() {
        List<String> lines = withPlan(Samples.plan()).lines().toList();
        int backfill = lines.indexOf("BACKFILL  batched data changes: both application versions still run");
        int deploy = lines.indexOf("======== DEPLOY the new application version here; contract runs after the old version"
                + " is gone ========");
        int contract = lines.indexOf("CONTRACT  after the deploy, once the old application version is gone");
        assertThat(backfill).isPositive();
        assertThat(deploy).isGreaterThan(backfill);
        assertThat(contract).isGreaterThan(deploy);
        assertThat(lines.subList(contract + 1, contract + 5)).containsExactly(
                "  1. db/V2__rename_customer_name.sql:2  DESTRUCTIVE Drop the old column name, which no running app version reads.",
                "         ALTER TABLE customers DROP COLUMN name",
                "       lock      public.customers AccessExclusiveLock",
                "       irreversible: the values of name are deleted");
    }

    @Test
    void unplannedStatementsSayWhyAndWhatToDoInstead() {
        String out = withPlan(Samples.plan());
        assertThat(out).contains("""
                Not planned  nothing of these statements runs; resolve each one
                  db/V3__maintenance.sql:4  blocking  CLUSTER orders USING orders_pkey
                      CLUSTER rewrites public.orders under an AccessExclusiveLock.
                      instead: Use pg_repack, or drop the statement.
                """);
        assertThat(out).contains("Note: 1 step before the deploy cannot be undone");
    }

    @Test
    void emptyPhasesSayNothingAndTheDeployLineStays() {
        String out = withPlan(Samples.plan(List.of(Samples.INDEX_STEP), List.of(), List.of(), List.of()));
        assertThat(out).contains("Release plan: 1 expand, 0 backfill, 0 contract steps; every statement is planned\n")
                .contains("BACKFILL  batched data changes: both application versions still run\n  (nothing)\n")
                .contains("CONTRACT  after the deploy, once the old application version is gone\n  (nothing)\n")
                .contains(TextRenderer.DEPLOY_LINE)
                .doesNotContain("Not planned").doesNotContain("Note:");
    }

    @Test
    void multiStatementStepsAreIndentedLineByLine() {
        SqlStep swap = new SqlStep("2", 2, "Swap the names.", "ALTER TABLE a RENAME TO a_old;\nALTER TABLE b RENAME TO a",
                true, List.of(), null, null, null, "not undone here", false);
        String out = withPlan(Samples.plan(List.of(), List.of(), List.of(swap), List.of()));
        assertThat(out).contains("""
                         ALTER TABLE a RENAME TO a_old;
                         ALTER TABLE b RENAME TO a
                """);
    }

    @Test
    void releasePlanIsColouredOnlyWhenAsked() {
        String coloured = new TextRenderer(true).render(Samples.mixed(), Samples.plan());
        assertThat(coloured).contains("\u001b[1;31mDESTRUCTIVE\u001b[0m")
                .contains("\u001b[1;33m" + TextRenderer.DEPLOY_LINE + "\u001b[0m");
        assertThat(withPlan(Samples.plan())).doesNotContain("\u001b");
    }

    @Test
    void aStepOfAMigrationNotInTheSetIsShownByItsLabel() {
        SqlStep other = new SqlStep("99", 7, "Something.", "SELECT 1", true, List.of(), null, null, null, null, false);
        assertThat(withPlan(Samples.plan(List.of(other), List.of(), List.of(), List.of())))
                .contains("  1. 99:7  Something.");
    }
}
