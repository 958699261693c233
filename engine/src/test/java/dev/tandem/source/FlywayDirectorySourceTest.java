package dev.tandem.source;

import static dev.tandem.source.SourceFixtures.assertUserMessage;
import static dev.tandem.source.SourceFixtures.only;
import static dev.tandem.source.SourceFixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FlywayDirectorySourceTest {
    private static FlywayDirectorySource basic;
    private static List<Migration> migrations;

    @BeforeAll
    static void loadBasic() {
        basic = new FlywayDirectorySource(path("flyway/basic"), Map.of("schema", "app"));
        migrations = basic.load();
    }

    @Test
    void resolvesInFlywaysOrderWithFlywaysVersionsAndDescriptions() {
        assertThat(migrations)
                .extracting(Migration::version, Migration::description, Migration::script, Migration::type)
                .containsExactly(
                        tuple("1", "create users", "V1__create_users.sql", MigrationType.VERSIONED),
                        tuple("1.1", "add email index", "V1.1__add_email_index.sql", MigrationType.VERSIONED),
                        tuple("2", "rename user name", "V2__rename_user_name.sql", MigrationType.VERSIONED),
                        // Flyway Teams' order: an undo right after the version it undoes.
                        tuple("2", "rename user name", "U2__rename_user_name.sql", MigrationType.UNDO),
                        tuple("3", "load in batches", "sub/V3__load_in_batches.sql", MigrationType.VERSIONED),
                        // V4_113 is version 4.113, after 3 and before 5.5.0.1.
                        tuple("4.113", "underscored version", "V4_113__underscored_version.sql", MigrationType.VERSIONED),
                        tuple("5.5.0.1", "concurrent index", "V5.5.0.1__concurrent_index.sql", MigrationType.VERSIONED),
                        // Repeatables last, by description.
                        tuple(null, "functions", "R__functions.sql", MigrationType.REPEATABLE),
                        tuple(null, "views", "R__views.sql", MigrationType.REPEATABLE));
    }

    @Test
    void filesFlywayIgnoresAreSkippedAndTheOnesItWouldNameAreWarnedAbout() {
        assertThat(migrations).extracting(Migration::script)
                .doesNotContain("README.md", "notes.sql", "beforeMigrate.sql");
        assertThat(basic.warnings()).singleElement().asString()
                .contains("notes.sql").contains("Flyway ignores this file");
    }

    @Test
    void transactionalFollowsFlywayDefaultsConfFilesAndNonTransactionalStatements() {
        assertThat(migrations).extracting(Migration::script, Migration::transactional).contains(
                tuple("V1__create_users.sql", true),
                tuple("sub/V3__load_in_batches.sql", false), // executeInTransaction=false in its .conf
                tuple("V5.5.0.1__concurrent_index.sql", false)); // CREATE INDEX CONCURRENTLY alone
    }

    @Test
    void statementsKeepLinesAndDirectives() {
        Migration v1 = migrations.getFirst();

        assertThat(v1.statements()).extracting(Statement::line).containsExactly(2, 10, 12);
        Statement alter = v1.statements().get(1);
        assertThat(alter.sql()).isEqualTo("ALTER TABLE users ADD COLUMN email varchar(255)");
        assertThat(alter.ignoredRules()).containsExactlyInAnyOrder("prefer-text-field", "require-timeout");
        assertThat(alter.annotations()).containsExactly("backfill lower(name)");
        assertThat(v1.statements().get(2).sql()).isEqualTo("INSERT INTO users (id, name) VALUES (1, 'semi;colon')");
        // Written after the last statement, still for the whole migration.
        assertThat(v1.ignoredRules()).containsExactly("prefer-robust-stmts");
    }

    @Test
    void placeholdersAreReplacedIncludingFlywaysDefaults() {
        Migration v11 = migrations.get(1);

        assertThat(v11.statements()).extracting(Statement::sql).containsExactly(
                "CREATE INDEX users_email_idx ON app.users (email)",
                "ALTER TABLE public.users ALTER COLUMN email SET NOT NULL");
    }

    @Test
    void aDefaultPlaceholderCanBeGivenOffline() {
        List<Migration> ms = new FlywayDirectorySource(path("flyway/basic"),
                Map.of("schema", "app", "flyway:defaultSchema", "shop")).load();

        assertThat(ms.get(1).statements().get(1).sql()).isEqualTo("ALTER TABLE shop.users ALTER COLUMN email SET NOT NULL");
    }

    @Test
    void aPlaceholderWithoutValueIsFlywaysErrorWithFileAndLine() {
        assertThatThrownBy(() -> new FlywayDirectorySource(path("flyway/placeholder-missing"), Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FLYWAY_MIGRATION);
                    assertThat(e.getMessage()).startsWith("V1__tenant.sql:3: ")
                            .contains("No value provided for placeholder: ${tenant}")
                            .contains("--placeholder tenant=VALUE");
                    assertUserMessage(e, "V1__tenant.sql");
                });
    }

    @Test
    void twoMigrationsOfOneVersionAreFlywaysDuplicateError() {
        assertThatThrownBy(() -> new FlywayDirectorySource(path("flyway/duplicate"), Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FLYWAY_MIGRATION);
                    assertThat(e.getMessage()).contains("Found more than one migration with version 1")
                            .contains("V1.0__second.sql");
                    assertUserMessage(e, "V1__first.sql");
                });
    }

    @Test
    void twoRepeatablesOfOneDescriptionAreFlywaysDuplicateError() {
        assertThatThrownBy(() -> new FlywayDirectorySource(path("flyway/duplicate-repeatable"), Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.getMessage()).contains("more than one repeatable migration with description views")
                            .contains("sub/R__views.sql");
                    assertUserMessage(e, "R__views.sql");
                });
    }

    @Test
    void invalidNamesAreIgnoredAsByFlywayAndWarnedAbout() {
        FlywayDirectorySource source = new FlywayDirectorySource(path("flyway/invalid-name"), Map.of());

        assertThat(only(source.load()).script()).isEqualTo("V1__ok.sql");
        assertThat(source.warnings()).hasSize(3)
                .anySatisfy(w -> assertThat(w).contains("V2_missing_separator.sql").contains("could not recognise version number"))
                .anySatisfy(w -> assertThat(w).contains("Vx__not_a_version.sql"))
                .anySatisfy(w -> assertThat(w).contains("B1__baseline.sql").contains("baseline migration"));
    }

    @Test
    void invalidNamesAreAnErrorWhenFlywayValidatesNaming() {
        assertThatThrownBy(() -> new FlywayDirectorySource(path("flyway/invalid-name"), Map.of(),
                Map.of("flyway.validateMigrationNaming", "true")).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FLYWAY_MIGRATION);
                    assertThat(e.getMessage()).contains("Vx__not_a_version.sql");
                    assertUserMessage(e, "V2_missing_separator.sql");
                });
    }

    @Test
    void mixingTransactionalAndNonTransactionalStatementsIsFlywaysError() {
        assertThatThrownBy(() -> new FlywayDirectorySource(path("flyway/mixed"), Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FLYWAY_MIGRATION);
                    assertThat(e.getMessage()).startsWith("V1__mixed.sql:2: ")
                            .contains("Detected both transactional and non-transactional statements");
                    assertUserMessage(e, "V1__mixed.sql");
                });
    }

    @Test
    void mixedTrueAllowsTheMixAndRunsTheScriptOutsideATransaction() {
        Migration m = only(new FlywayDirectorySource(path("flyway/mixed"), Map.of(), Map.of("flyway.mixed", "true")).load());

        assertThat(m.transactional()).isFalse();
        assertThat(m.statements()).hasSize(2);
    }

    @Test
    void aMalformedDirectiveNamesFileAndLine() {
        assertThatThrownBy(() -> new FlywayDirectorySource(path("flyway/bad-directive"), Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("V1__no_rule.sql:3: ");
                    assertUserMessage(e, "V1__no_rule.sql");
                });
    }

    @Test
    void aMissingDirectoryIsUnreadableInput() {
        assertThatThrownBy(() -> new FlywayDirectorySource(Path.of("no/such/migrations"), Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNREADABLE_INPUT);
                    assertUserMessage(e, "no/such/migrations");
                });
    }
}
