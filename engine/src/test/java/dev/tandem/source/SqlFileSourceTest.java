package dev.tandem.source;

import static dev.tandem.source.SourceFixtures.assertUserMessage;
import static dev.tandem.source.SourceFixtures.only;
import static dev.tandem.source.SourceFixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlFileSourceTest {

    @Test
    void aPlainFileIsOneTransactionalMigrationNamedAfterTheFile() {
        Migration m = only(new SqlFileSource(path("sql/create_items.sql")).load());

        assertThat(m.version()).isEqualTo("1");
        assertThat(m.description()).isEqualTo("create_items");
        assertThat(m.script()).isEqualTo("create_items.sql");
        assertThat(m.type()).isEqualTo(MigrationType.VERSIONED);
        assertThat(m.transactional()).isTrue();
        assertThat(m.statements()).extracting(Statement::line).containsExactly(1, 2);
    }

    @Test
    void aFileThatManagesItsOwnTransactionsRunsInAutocommit() {
        Migration m = only(new SqlFileSource(path("sql/add_orders.sql")).load());

        assertThat(m.transactional()).isFalse(); // BEGIN; ALTER TYPE … ADD VALUE; COMMIT;
        assertThat(m.ignoredRules()).containsExactly("require-timeout");
    }

    @Test
    void statementsKeepTheirLinesAndDirectives() {
        List<Statement> s = only(new SqlFileSource(path("sql/add_orders.sql")).load()).statements();

        assertThat(s).extracting(Statement::line).containsExactly(2, 9, 11, 12, 13, 15, 21);
        assertThat(s.get(0).sql()).startsWith("CREATE TABLE orders (").endsWith(")");
        assertThat(s.get(1).sql()).isEqualTo("ALTER TABLE orders ADD CONSTRAINT orders_user_uniq UNIQUE (user_id)");
        assertThat(s.get(1).ignoredRules()).containsExactly("disallowed-unique-constraint");
        assertThat(s.get(2).sql()).isEqualTo("BEGIN");
        assertThat(s.get(5).sql()).contains("RETURN 0; -- not; a; split");
        assertThat(s.get(6).sql()).isEqualTo("UPDATE orders SET user_id = user_id");
        assertThat(s.get(6).annotations()).containsExactly("backfill total_cents * 100");
        assertThat(s.get(0).ignoredRules()).isEmpty();
    }

    @Test
    void aFileWithAStatementPostgresRefusesInATransactionRunsInAutocommit() {
        Migration m = only(new SqlFileSource(path("sql/reindex.sql")).load());

        assertThat(m.transactional()).isFalse();
        assertThat(m.statements()).hasSize(2);
    }

    @Test
    void anUnterminatedStringNamesFileAndLine() {
        assertThatThrownBy(() -> new SqlFileSource(path("sql/unterminated.sql")).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SQL_SYNTAX);
                    assertThat(e.getMessage()).startsWith("unterminated.sql:3:");
                    assertUserMessage(e, "unterminated.sql");
                });
    }

    @Test
    void aMalformedDirectiveNamesTheCommentsLine() {
        assertThatThrownBy(() -> new SqlFileSource(path("sql/bad_directive.sql")).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("bad_directive.sql:3: ")
                            .contains("-- migrate:ignore set-not-null");
                    assertUserMessage(e, "bad_directive.sql");
                });
    }

    @Test
    void aLiquibaseFormattedSqlChangelogIsRefusedWithAHint() {
        Path changelog = path("liquibase/xml/changes/formatted.sql");

        assertThatThrownBy(() -> new SqlFileSource(changelog).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.getMessage()).contains("--changelog");
                    assertUserMessage(e, "formatted.sql");
                });
    }

    @Test
    void aMissingFileIsUnreadableInput() {
        assertThatThrownBy(() -> new SqlFileSource(Path.of("no/such/file.sql")).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNREADABLE_INPUT);
                    assertUserMessage(e, "file.sql");
                });
    }
}
