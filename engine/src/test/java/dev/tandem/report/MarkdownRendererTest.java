package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.StatementClass;
import java.nio.file.Path;
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
}
