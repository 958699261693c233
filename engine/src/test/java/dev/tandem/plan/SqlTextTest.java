package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sql.QualifiedName;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void identifiersAreQuotedOnlyWhenPostgresWouldNotReadThemBack() {
        assertThat(SqlText.ident("orders")).isEqualTo("orders");
        assertThat(SqlText.ident("a$b_1")).isEqualTo("a$b_1");
        assertThat(SqlText.ident("user")).isEqualTo("\"user\"");
        assertThat(SqlText.ident("Orders")).isEqualTo("\"Orders\"");
        assertThat(SqlText.ident("1st")).isEqualTo("\"1st\"");
        assertThat(SqlText.ident("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(SqlText.name(QualifiedName.of("app", "order"))).isEqualTo("app.\"order\"");
        assertThat(SqlText.regclass(QualifiedName.of("it's"))).isEqualTo("to_regclass('\"it''s\"')");
    }

    @Test
    void trimmedDropsTrailingCommentsAndSemicolons() {
        assertThat(SqlText.trimmed("ALTER TABLE t ADD CHECK (a > 0) -- why\n;")).isEqualTo("ALTER TABLE t ADD CHECK (a > 0)");
        assertThat(SqlText.trimmed("  SELECT 1 /* c */ ")).isEqualTo("SELECT 1");
    }

    @Test
    void assignedColumnsOfASetList() {
        assertThat(SqlText.assignedColumns("a = 1, \"B\" = f(x, y), (c, d) = (SELECT 1, 2), e[1] = 3, f.g = 4"))
                .containsExactly("a", "B", "c", "d", "e", "f");
        assertThat(SqlText.assignedColumns("a = CASE WHEN x THEN 1 ELSE 2 END, b = 2")).containsExactly("a", "b");
        assertThat(SqlText.assignedColumns("= 1")).isNull();
    }

    @Test
    void makeObjectNameShortensTheLongerPart() {
        String table = "t".repeat(40);
        String column = "c".repeat(30);
        String name = ObjectNames.of(table, column, "not_null_tandem");

        assertThat(name).hasSize(63).endsWith("_not_null_tandem");
        assertThat(ObjectNames.of("orders", "amount", "check")).isEqualTo("orders_amount_check");
    }

    @Test
    void onRowReadsWholeColumnReferencesFromTheRowVariable() {
        Set<String> columns = Set.of("email", "id", "status", "Mixed");
        assertThat(SqlText.onRow("lower(email) || id::text", columns, "NEW")).isEqualTo("lower(NEW.email) || NEW.id::text");
        assertThat(SqlText.onRow("email_v2 || 'email' || t.email || \"Mixed\"", columns, "NEW"))
                .isEqualTo("email_v2 || 'email' || t.email || NEW.\"Mixed\"");
        assertThat(SqlText.onRow("status::status || CAST(id AS status) || status(id)", columns, "OLD"))
                .isEqualTo("OLD.status::status || CAST(OLD.id AS status) || status(OLD.id)");
        assertThat(SqlText.onRow("EMAIL", columns, "NEW")).isEqualTo("NEW.email");
    }
}
