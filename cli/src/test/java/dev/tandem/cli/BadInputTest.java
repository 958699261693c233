package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through {@code migrate plan}: every case ends with exit 2 and a message that names the
 * file (and line where there is one) and what to do, never a Java class name, a stack trace or the
 * internal-error exit 4, and never a hang.
 */
class BadInputTest {
    private static final String LIQUIBASE_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            + " xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
            + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    static Run migrate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err), Terminal.NONE);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** Exit 2, nothing on stdout, one user-facing message containing {@code expected}. */
    private static void assertBadInput(Run r, String... expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("migrate: ").contains(expected)
                .doesNotContain("Exception", "java.", "\tat ", "internal error");
    }

    @Test
    void namedPipeInAFlywayDirectoryIsRefusedNotReadForever() throws Exception {
        write("db/V2__ok.sql", "SELECT 1;\n");
        Path fifo = tmp.resolve("db/V1__pipe.sql");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor()).isZero();
        assertBadInput(migrate("plan", tmp.resolve("db").toString()), "V1__pipe.sql: not a regular file");
    }

    @Test
    void brokenSymlinkInAFlywayDirectoryIsAWarning() throws IOException {
        write("db/V2__ok.sql", "SELECT 1;\n");
        Files.createSymbolicLink(tmp.resolve("db/V1__gone.sql"), tmp.resolve("nowhere.sql"));
        Run r = migrate("plan", tmp.resolve("db").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("migrate: warning: V1__gone.sql: a symbolic link to " + tmp.resolve("nowhere.sql")
                + ", which does not exist — Flyway skips it; fix the link or remove it" + System.lineSeparator());
    }

    @Test
    void brokenSymlinkAsInput() throws IOException {
        Path link = tmp.resolve("plan.sql");
        Files.createSymbolicLink(link, tmp.resolve("nowhere.sql"));
        assertBadInput(migrate("plan", link.toString()), link + " is a symbolic link to " + tmp.resolve("nowhere.sql"),
                "fix the link");
    }

    @Test
    void binaryGarbageNamedLikeAMigration() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Files.createDirectories(tmp.resolve("db"));
        Files.write(tmp.resolve("db/V1__x.sql"), garbage);
        assertBadInput(migrate("plan", tmp.resolve("db").toString()), "V1__x.sql: not valid UTF-8 text", "save the file as UTF-8");
    }

    @Test
    void binaryFileThatHappensToBeUtf8NamesTheNulCharacter() throws IOException {
        write("db/V1__x.sql", "SELECT 1;\nSELECT \0\0\1 2;\n");
        assertBadInput(migrate("plan", tmp.resolve("db").toString()), "V1__x.sql:2:8: a NUL character",
                "is this a binary file?");
    }

    @Test
    void controlCharactersInAMessageAreEscaped() throws IOException {
        Path f = write("x.sql", "SELECT 1;\n\u0001\u0002 x;\n");
        Run r = migrate("plan", f.toString());
        assertBadInput(r, "x.sql:2:1: '\\u0001' is not a PostgreSQL command");
        assertThat(r.err()).doesNotContain("\u0001");
    }

    @Test
    void directoryWhereAMigrationFileIsExpectedIsNotAMigration() throws IOException {
        Files.createDirectories(tmp.resolve("db/V1__dir.sql"));
        write("db/V2__ok.sql", "SELECT 1;\n");
        Run r = migrate("plan", tmp.resolve("db").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("V2__ok.sql").doesNotContain("V1__dir");
    }

    @Test
    void duplicateFlywayVersions() throws IOException {
        write("db/V1__a.sql", "SELECT 1;\n");
        write("db/V1.0__b.sql", "SELECT 2;\n");
        assertBadInput(migrate("plan", tmp.resolve("db").toString()), "V1__a.sql", "V1.0__b.sql",
                "give each migration a version of its own");
    }

    @Test
    void malformedChangelogXml() throws IOException {
        Path c = write("changelog.xml", LIQUIBASE_HEADER + "<changeSet id=\"1\" author=\"a\">\n"
                + "  <createTable tableName=\"t\">\n    <column name=\"id\" type=\"int\"/>\n</changeSet>\n</databaseChangeLog>\n");
        assertBadInput(migrate("plan", "--changelog", c.toString()), "changelog.xml:6:", "createTable");
    }

    @Test
    void unknownChangeType() throws IOException {
        Path c = write("changelog.xml", LIQUIBASE_HEADER
                + "<changeSet id=\"1\" author=\"a\">\n  <frobnicateTable tableName=\"t\"/>\n</changeSet>\n</databaseChangeLog>\n");
        assertBadInput(migrate("plan", "--changelog", c.toString()), "changelog.xml:4:", "<frobnicateTable>");
    }

    @Test
    void missingInclude() throws IOException {
        Path c = write("changelog.xml", LIQUIBASE_HEADER
                + "<include file=\"missing/002.xml\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>\n");
        assertBadInput(migrate("plan", "--changelog", c.toString()), "changelog.xml", "missing/002.xml", "check the path");
    }

    @Test
    void changelogThatIncludesItselfIsBadInputNotAStackOverflow() throws IOException {
        write("a.xml", LIQUIBASE_HEADER + "<include file=\"b.xml\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>\n");
        Path b = write("b.xml", LIQUIBASE_HEADER + "<include file=\"a.xml\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>\n");
        assertBadInput(migrate("plan", "--changelog", b.toString()), "b.xml: the includes never end",
                "remove the include that closes the loop");
    }

    @Test
    void placeholderWithoutName() throws IOException {
        write("db/V1__a.sql", "SELECT 1;\n");
        assertBadInput(migrate("plan", tmp.resolve("db").toString(), "--placeholder", "=public"),
                "--placeholder '=public' has no name before '='");
        assertBadInput(migrate("plan", tmp.resolve("db").toString(), "--placeholder", "schema"),
                "--placeholder", "KEY=VALUE");
    }

    @Test
    void changelogTogetherWithInput() throws IOException {
        write("db/V1__a.sql", "SELECT 1;\n");
        Path c = write("changelog.xml", LIQUIBASE_HEADER + "</databaseChangeLog>\n");
        assertBadInput(migrate("plan", tmp.resolve("db").toString(), "--changelog", c.toString()), "not both");
    }

    @Test
    void outputIntoAMissingDirectoryFailsBeforePlanning() throws IOException {
        write("db/V1__a.sql", "SELECT 1;\n");
        Path out = tmp.resolve("no/such/dir/plan.txt");
        assertBadInput(migrate("plan", tmp.resolve("db").toString(), "--output", out.toString()),
                "cannot write --output " + out, "the directory " + out.getParent() + " does not exist");
        assertThat(out.getParent()).doesNotExist();
    }

    @Test
    void outputThatIsADirectory() throws IOException {
        write("db/V1__a.sql", "SELECT 1;\n");
        assertBadInput(migrate("plan", tmp.resolve("db").toString(), "--output", tmp.toString()),
                "--output " + tmp + " is a directory");
    }
}
