package dev.tandem.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
}
