package dev.tandem.source;

import static dev.tandem.source.SourceFixtures.assertUserMessage;
import static dev.tandem.source.SourceFixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiquibaseChangelogSourceTest {
    private static List<Migration> master;
    private static String stdout;

    @BeforeAll
    static void loadMaster() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            master = new LiquibaseChangelogSource(path("liquibase/xml/master.xml"), Map.of(), Set.of()).load();
        } finally {
            System.setOut(original);
        }
        stdout = captured.toString(StandardCharsets.UTF_8);
    }

    private static Migration changeSet(List<Migration> ms, String description) {
        return ms.stream().filter(m -> m.description().equals(description)).findFirst()
                .orElseThrow(() -> new AssertionError("no changeSet " + description + " in " + ms));
    }

    @Test
    void liquibaseWritesNothingToStdout() {
        assertThat(stdout).isEmpty();
    }

    @Test
    void changeSetsInChangelogOrderFollowingIncludesAndDbmsFilters() {
        assertThat(master).extracting(Migration::version, Migration::description, Migration::script).containsExactly(
                tuple("1", "alice:1", "master.xml"),
                tuple("1", "bob:1", "master.xml"),
                tuple("2", "alice:2", "master.xml"),
                // alice:3 is dbms="mysql"
                tuple("4", "alice:4", "master.xml"),
                tuple("5", "alice:5", "master.xml"),
                tuple("6", "dave:6", "changes/more-changes.yaml"),
                tuple("7", "dave:7", "changes/more-changes.yaml"),
                tuple("8", "erin:8", "changes/json-changes.json"),
                tuple("f1", "frank:f1", "changes/formatted.sql"),
                tuple("f2", "frank:f2", "changes/formatted.sql"),
                tuple("all-1", "gina:all-1", "more/a-included.xml"),
                tuple("9", "carol:9", "master.xml"),
                tuple("10", "carol:10", "master.xml"));
        assertThat(master).allSatisfy(m -> assertThat(m.type()).isEqualTo(MigrationType.VERSIONED));
    }

    @Test
    void changesBecomeLiquibasesPostgresSqlWithPropertiesSubstituted() {
        Migration createTable = changeSet(master, "alice:1");

        assertThat(createTable.statements()).singleElement().satisfies(s -> {
            assertThat(s.sql()).startsWith("CREATE TABLE users (id BIGINT NOT NULL")
                    // ${timestamp_type} is timestamptz for dbms="postgresql"
                    .contains("created_at TIMESTAMP WITH TIME ZONE");
            assertThat(s.line()).isEqualTo(11);
        });
        assertThat(changeSet(master, "dave:6").statements()).extracting(Statement::sql)
                .containsExactly("ALTER TABLE users RENAME COLUMN name TO full_name");
        assertThat(changeSet(master, "erin:8").statements()).extracting(Statement::sql)
                .containsExactly("CREATE INDEX users_created_idx ON users(created_at)");
    }

    @Test
    void everyStatementOfAnXmlYamlOrJsonChangeSetHasTheLineOfItsId() {
        assertThat(master).extracting(Migration::description, m -> m.statements().getFirst().line()).contains(
                tuple("bob:1", 20), // same id as alice:1, its own line
                tuple("alice:2", 24),
                tuple("dave:6", 3),
                tuple("dave:7", 13), // id after author, quoted
                tuple("erin:8", 5),
                tuple("gina:all-1", 6));
        assertThat(changeSet(master, "alice:2").statements()).extracting(Statement::line).containsExactly(24, 24);
    }

    @Test
    void rawSqlIsSplitByTandemAndKeepsDirectives() {
        Migration m = changeSet(master, "alice:2");

        assertThat(m.transactional()).isFalse(); // runInTransaction="false"
        assertThat(m.statements()).extracting(Statement::sql, Statement::ignoredRules, Statement::annotations)
                .containsExactly(
                        tuple("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)",
                                Set.of("require-concurrent-index-creation"), List.of()),
                        tuple("UPDATE users SET email = lower(email)", Set.of(), List.of("backfill lower(email)")));
    }

    @Test
    void onlyThePostgresSqlOfASqlChangeWithDbmsRuns() {
        assertThat(changeSet(master, "alice:4").statements()).extracting(Statement::sql)
                .containsExactly("ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email <> '') NOT VALID");
    }

    @Test
    void modifySqlIsApplied() {
        assertThat(changeSet(master, "alice:5").statements()).extracting(Statement::sql)
                .containsExactly("ALTER TABLE users ADD name TEXT /* modified */");
    }

    @Test
    void formattedSqlStatementsHaveTheirOwnLines() {
        Migration f1 = changeSet(master, "frank:f1");
        Migration f2 = changeSet(master, "frank:f2");

        assertThat(f1.statements()).extracting(Statement::line, Statement::sql).containsExactly(
                tuple(5, "ALTER TABLE users ADD COLUMN status text"),
                tuple(8, "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new'"));
        assertThat(f1.statements().get(1).ignoredRules()).containsExactly("adding-field-with-default");
        assertThat(f2.transactional()).isFalse();
        assertThat(f2.statements()).extracting(Statement::line).containsExactly(12);
    }

    @Test
    void sqlFileIsSplitAndItsFileDirectivesApplyToTheChangeSet() {
        Migration m = changeSet(master, "carol:9");

        assertThat(m.statements()).extracting(Statement::sql, Statement::line).containsExactly(
                tuple("UPDATE users SET full_name = email WHERE full_name IS NULL", 57),
                tuple("UPDATE users SET status = 'new' WHERE status IS NULL", 57));
        assertThat(m.ignoredRules()).containsExactly("update-without-batches");
    }

    @Test
    void customChangeBecomesAnOpaqueStatementThatFailsIfRun() {
        Migration m = changeSet(master, "carol:10");

        assertThat(m.statements()).singleElement().satisfies(s -> {
            assertThat(s.sql()).startsWith("DO $tandem$").contains("RAISE EXCEPTION")
                    .contains("customChange com.example.migrations.SplitNames");
            assertThat(s.line()).isEqualTo(61);
        });
    }

    @Test
    void withoutContextsEveryChangeSetRuns() {
        assertThat(master).extracting(Migration::description).contains("bob:1", "dave:7");
    }

    @ParameterizedTest
    @CsvSource({"prod, dave:7, bob:1", "test, bob:1, dave:7"})
    void givenContextsSelectChangeSets(String context, String included, String excluded) {
        List<Migration> ms = new LiquibaseChangelogSource(path("liquibase/xml/master.xml"), Map.of(), Set.of(context)).load();

        assertThat(ms).extracting(Migration::description).contains(included, "alice:1").doesNotContain(excluded);
    }

    @Test
    void givenPropertiesWinOverTheChangelogs() {
        List<Migration> ms = new LiquibaseChangelogSource(path("liquibase/xml/master.xml"),
                Map.of("timestamp_type", "timestamp"), Set.of()).load();

        assertThat(ms.getFirst().statements().getFirst().sql()).contains("created_at TIMESTAMP WITHOUT TIME ZONE");
    }

    @Test
    void yamlRootChangelog() {
        List<Migration> ms = new LiquibaseChangelogSource(path("liquibase/yaml/changelog.yaml"), Map.of(), Set.of()).load();

        assertThat(ms).extracting(Migration::description, Migration::transactional, m -> m.statements().getFirst().line())
                .containsExactly(tuple("yuki:create-accounts", true, 6), tuple("yuki:index-accounts", false, 16));
        assertThat(ms.getFirst().statements().getFirst().sql()).isEqualTo("CREATE TABLE accounts (id BIGINT)");
        assertThat(ms.getFirst().script()).isEqualTo("changelog.yaml");
    }

    @Test
    void jsonRootChangelogWithContext() {
        List<Migration> all = new LiquibaseChangelogSource(path("liquibase/json/changelog.json"), Map.of(), Set.of()).load();
        List<Migration> prod = new LiquibaseChangelogSource(path("liquibase/json/changelog.json"), Map.of(), Set.of("prod")).load();

        assertThat(all).extracting(Migration::description).containsExactly("jo:1", "jo:2");
        assertThat(prod).extracting(Migration::description).containsExactly("jo:1");
        assertThat(all.getFirst().statements()).extracting(Statement::sql, Statement::line)
                .containsExactly(tuple("ALTER TABLE accounts ADD balance numeric(12, 2) DEFAULT 0", 5));
    }

    @Test
    void formattedSqlRootChangelog() {
        List<Migration> ms = new LiquibaseChangelogSource(path("liquibase/sql/changelog.sql"), Map.of(), Set.of()).load();

        assertThat(ms).extracting(Migration::version, Migration::transactional).containsExactly(
                tuple("1", true), tuple("2", true), tuple("4", false));
        assertThat(ms.getFirst().statements()).extracting(Statement::line, Statement::sql).containsExactly(
                tuple(4, "CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric)"),
                tuple(5, "CREATE INDEX payments_amount_idx\n    ON payments (amount)"));
        assertThat(ms.get(2).statements()).extracting(Statement::line).containsExactly(18);
        assertThat(ms.get(2).ignoredRules()).containsExactly("require-timeout");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "missing-include.xml | missing-include.xml: the file nowhere/missing.xml was not found",
            "invalid.xml         | invalid.xml:9:11: The element type \"createTable\" must be terminated",
            "unknown-change.xml  | unknown-change.xml:7:36: <createTabel> is not allowed here",
            "unknown-change.yaml | unknown-change.yaml:6: unknown change type 'createTabel'",
            "missing-sqlfile.xml | missing-sqlfile.xml:6: changeSet alice:1: sqlFile sql/missing.sql",
            "broken.yaml         | broken.yaml:4:6: YAML syntax error",
            "duplicate.yaml      | duplicate.yaml:9: changeSet alice:1 is defined twice (first at line 3)"})
    void unreadableChangelogsAreReportedWithFileLineAndWhatToDo(String file, String start) {
        assertThatThrownBy(() -> new LiquibaseChangelogSource(path("liquibase/errors/" + file), Map.of(), Set.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CHANGELOG);
                    assertThat(e.getMessage()).startsWith(start).contains(" — ");
                    assertUserMessage(e, file);
                });
    }

    @Test
    void aMissingChangelogIsUnreadableInput() {
        assertThatThrownBy(() -> new LiquibaseChangelogSource(Path.of("no/such/changelog.xml"), Map.of(), Set.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNREADABLE_INPUT);
                    assertUserMessage(e, "changelog.xml");
                });
    }
}
