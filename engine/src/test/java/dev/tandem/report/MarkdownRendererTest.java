package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementClass;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    private static String render() {
        return new MarkdownRenderer(ScriptLocator.under(Path.of("db"))).render(Samples.mixed());
    }

    @Test
    void titleCarriesTheVerdict() {
        String md = render();
        assertThat(md.lines().findFirst()).hasValue("## ⛔ Tandem migration plan: blocking");
        assertThat(md).contains("**Not safe as written:** 1 statement has no online form");
        assertThat(md).contains("PostgreSQL 15 · 3 migrations · 5 statements: 2 compatible · 1 online-rewrite · "
                + "1 expand-contract · 1 blocking (1 finding suppressed)");
    }

    @Test
    void tableListsFlaggedMigrationsAndCollapsesCompatibleOnes() {
        String md = render();
        assertThat(md.lines()).contains(
                "| Migration | Script | Class | Flagged statements |",
                "| `2` | `V2__rename_customer_name.sql` | 🔀 expand-contract | 2 |",
                "| `3` | `V3__maintenance.sql` | ⛔ blocking | 1 |",
                "<details><summary>✅ 1 compatible migration</summary>",
                "| `1` | `V1__create_customers.sql` | 1 |",
                "</details>");
    }

    @Test
    void sectionPerIncompatibleMigrationWithSqlLocksAndFixes() {
        String md = render();
        assertThat(md.lines()).contains(
                "### 🔀 `2` `V2__rename_customer_name.sql` — expand-contract",
                "`db/V2__rename_customer_name.sql:2` · 🔀 expand-contract",
                "```sql",
                "ALTER TABLE customers RENAME COLUMN name TO full_name",
                "- **Locks:** `public.customers` AccessExclusiveLock",
                "- **Rewrites:** `public.orders`",
                "- **Scans:** `public.orders`",
                "- 💡 **`missing-lock-timeout`** No lock_timeout is set.\\",
                "  **Fix:** SET lock_timeout = '2s' first.",
                "- 🔀 **`rename-column`** " + Samples.RENAME.message() + "\\",
                "  **Fix:** " + Samples.RENAME.fix());
        // Compatible migrations get no section; a compatible statement without findings is not shown.
        assertThat(md).doesNotContain("### ✅").doesNotContain("SELECT 1");
    }

    @Test
    void indentedFixLinesBecomeAnSqlBlock() {
        Finding f = new Finding("add-check-constraint-validates", StatementClass.ONLINE_REWRITE, "Scans t.",
                "Add it NOT VALID, then validate it:\n  ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\n"
                        + "  ALTER TABLE t VALIDATE CONSTRAINT c;\nThen drop the <old> check.");
        ClassifiedSet set = new ClassifiedSet(PgVersion.DEFAULT, List.of(Samples.result("5", "check", "V5__check.sql",
                Samples.stmt("ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0)", 1, Samples.cls(StatementClass.ONLINE_REWRITE,
                        List.of(), List.of(), List.of("public.t"), List.of(f), List.of())))));
        String md = new MarkdownRenderer().render(set);
        assertThat(md).contains("- 🔄 **`add-check-constraint-validates`** Scans t.\\\n"
                + "  **Fix:** Add it NOT VALID, then validate it:\n"
                + "  ```sql\n"
                + "  ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\n"
                + "  ALTER TABLE t VALIDATE CONSTRAINT c;\n"
                + "  ```\n"
                + "  Then drop the &lt;old> check.\n");
    }

    @Test
    void compatibleSetSaysSo() {
        String md = new MarkdownRenderer().render(Samples.compatible());
        assertThat(md).startsWith("## ✅ Tandem migration plan: compatible")
                .contains("**Safe to ship:** every statement is compatible")
                .doesNotContain("| Migration | Script | Class |");
    }

    @Test
    void longOutputIsCutWithANote() {
        String md = new MarkdownRenderer(ScriptLocator.asGiven(), 20_000).render(Samples.large(200, 3));
        assertThat(md.length()).isLessThanOrEqualTo(20_000);
        assertThat(md).contains("> ✂️ Cut to fit a pull-request comment:")
                .contains("more migrations)")
                .endsWith("</sub>\n");
        // SQL longer than the cap is shortened inside its code block.
        assertThat(md).contains("-- … 11 more lines");
        String full = new MarkdownRenderer().render(Samples.large(2, 1));
        assertThat(full).doesNotContain("Cut to fit");
    }

    @Test
    void codeSpansSurviveBackticksAndPipes() {
        assertThat(MarkdownRenderer.code("a|b")).isEqualTo("`a\\|b`");
        assertThat(MarkdownRenderer.code("a`b")).isEqualTo("`` a`b ``");
    }

    // ------------------------------------------------------------------ release plan

    private static String withPlan(ReleasePlan plan) {
        return new MarkdownRenderer(ScriptLocator.under(Path.of("db"))).render(Samples.mixed(), plan);
    }

    @Test
    void releasePlanSectionWithPhasesInOrderAndTheDeployPointBetweenBackfillAndContract() {
        String md = withPlan(Samples.plan());
        List<String> lines = md.lines().toList();
        int title = lines.indexOf("### 🗺️ Release plan");
        int expand = lines.indexOf("#### 1 · Expand — before the deploy; both application versions keep working");
        int backfill = lines.indexOf("#### 2 · Backfill — batched data changes; both application versions still run");
        int deploy = lines.indexOf(MarkdownRenderer.DEPLOY_LINE);
        int contract = lines.indexOf("#### 3 · Contract — after the deploy, once the old application version is gone");
        int unplanned = lines.indexOf("#### ⛔ Not planned — nothing of these statements runs");
        int details = lines.indexOf("### 🔀 `2` `V2__rename_customer_name.sql` — expand-contract");
        assertThat(title).isPositive();
        assertThat(List.of(title, expand, backfill, deploy, contract, unplanned, details)).isSorted();
        assertThat(lines.get(title + 2)).isEqualTo("**2** expand → **2** backfill → 🚀 deploy → **1** contract steps · "
                + "⛔ 1 statement not planned: the release cannot run until it is resolved.");
        assertThat(withPlan(null)).doesNotContain("Release plan");
    }

    @Test
    void stepsShowLocationPurposeLocksUndoAndSql() {
        String md = withPlan(Samples.plan());
        assertThat(md).contains("""
                - **2.** `V2__rename_customer_name.sql:5` Build index orders_customer_idx without blocking writes (ShareUpdateExclusiveLock).\\
                  Locks: `public.orders` ShareUpdateExclusiveLock · no transaction (autocommit, safe to re-run) · Rollback: `DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx`
                  ```sql
                  CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id)
                  ```
                """);
        assertThat(md).contains("""
                - **1.** `V2__rename_customer_name.sql:2` Copy name into full_name in keyset batches.\\
                  In batches by (`id`), each in a short transaction of its own · Rollback: nothing to undo
                  ```sql
                  UPDATE customers SET full_name = name
                  WHERE full_name IS NULL
                  ```
                """);
        assertThat(md).contains("""
                - **1.** ⚠️ **DESTRUCTIVE** `V2__rename_customer_name.sql:2` Drop the old column name, which no running app version reads.\\
                  Locks: `public.customers` AccessExclusiveLock · **Irreversible:** the values of name are deleted
                  ```sql
                  ALTER TABLE customers DROP COLUMN name
                  ```
                """);
        assertThat(md).contains("- `V3__maintenance.sql:4` **blocking** `CLUSTER orders USING orders_pkey` — "
                + Samples.CLUSTER.message() + "\\\n  **Instead:** " + Samples.CLUSTER.fix() + "\n");
    }

    @Test
    void emptyPhasesSayNothing() {
        String md = withPlan(Samples.plan(List.of(Samples.INDEX_STEP), List.of(), List.of(), List.of()));
        assertThat(md).contains("still run\n\n_nothing_\n\n" + MarkdownRenderer.DEPLOY_LINE)
                .contains("old application version is gone\n\n_nothing_\n\n")
                .contains("· every statement is planned.")
                .doesNotContain("Not planned");
    }

    @Test
    void longStepSqlIsCollapsed() {
        String sql = "CREATE TABLE t (\n" + "  c int,\n".repeat(10) + "  d int\n)";
        SqlStep create = new SqlStep("2", 2, "Create t.", sql, true, List.of(), null, null, "DROP TABLE IF EXISTS t", null,
                false);
        String md = withPlan(Samples.plan(List.of(create), List.of(), List.of(), List.of()));
        assertThat(md).contains("  <details><summary><code>CREATE TABLE t ( ...</code> (13 lines)</summary>\n\n  ```sql\n"
                + "  CREATE TABLE t (\n    c int,\n");
        assertThat(md).contains("    d int\n  )\n  ```\n\n  </details>\n");
    }

    @Test
    void aLargePlanIsCutToFitTheComment() {
        List<Step> many = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            many.add(new SqlStep("2", 2, "Step " + i + ".", "ALTER TABLE customers ADD COLUMN c" + i + " text", true,
                    List.of(), null, null, "ALTER TABLE customers DROP COLUMN IF EXISTS c" + i, null, false));
        }
        String md = new MarkdownRenderer(ScriptLocator.asGiven(), 20_000)
                .render(Samples.mixed(), Samples.plan(many, List.of(), List.of(Samples.DROP_STEP), List.of(Samples.CLUSTER_UNPLANNED)));
        assertThat(md.length()).isLessThanOrEqualTo(20_000);
        assertThat(md).contains("- ✂️ ").contains("more steps not shown").contains(MarkdownRenderer.DEPLOY_LINE)
                .contains("- ✂️ 1 more step not shown").endsWith("</sub>\n");
    }
}
