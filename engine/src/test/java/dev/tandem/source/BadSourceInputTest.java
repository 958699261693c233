package dev.tandem.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that used to hang, crash or vanish silently; each must be a clear TandemException or warning. */
class BadSourceInputTest {
    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            + " xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
            + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n";

    @TempDir
    Path tmp;

    /** Was a read that never returned. */
    @Test
    void namedPipeNamedLikeAMigration() throws Exception {
        assertThat(new ProcessBuilder("mkfifo", tmp.resolve("V1__pipe.sql").toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> new FlywayDirectorySource(tmp, Map.of()).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNREADABLE_INPUT);
                    assertThat(e.getMessage()).startsWith("V1__pipe.sql: not a regular file");
                });
    }

    /** Was skipped without a word, so the plan silently lacked a migration. */
    @Test
    void brokenSymbolicLinkNamedLikeAMigration() throws IOException {
        Files.writeString(tmp.resolve("V2__ok.sql"), "SELECT 1;\n");
        Files.createDirectories(tmp.resolve("sub"));
        Files.createSymbolicLink(tmp.resolve("sub/V1__gone.sql"), Path.of("../gone.sql"));
        FlywayDirectorySource source = new FlywayDirectorySource(tmp, Map.of());
        assertThat(source.load()).extracting(Migration::script).containsExactly("V2__ok.sql");
        assertThat(source.warnings()).containsExactly(
                "sub/V1__gone.sql: a symbolic link to ../gone.sql, which does not exist — Flyway skips it; fix the link or remove it");
    }

    /** Was "' ' is not a PostgreSQL command" with a raw NUL at the wrong column. */
    @Test
    void nulCharacter() {
        assertThatThrownBy(() -> SqlScript.parse("SELECT 1;\n  SELECT \0;\n", "V1__x.sql", 10))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SQL_SYNTAX);
                    assertThat(e.getMessage()).startsWith("V1__x.sql:11:10: a NUL character");
                });
    }

    /** Was a StackOverflowError (exit 4): Liquibase follows include cycles until the stack runs out. */
    @Test
    void changelogsIncludingEachOther() throws IOException {
        Files.writeString(tmp.resolve("a.xml"), HEADER + "<include file=\"b.xml\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>\n");
        Files.writeString(tmp.resolve("b.xml"), HEADER + "<include file=\"a.xml\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>\n");
        assertThatThrownBy(() -> new LiquibaseChangelogSource(tmp.resolve("a.xml"), Map.of(), Set.of(), 16).load())
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CHANGELOG);
                    assertThat(e.getMessage()).startsWith("a.xml: the includes never end");
                });
    }
}
