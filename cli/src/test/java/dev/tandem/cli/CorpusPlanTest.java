package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code migrate plan} over a Flyway history written in the styles real projects produce (the
 * corpus under engine/src/test/resources/corpus/flyway, every file of which runs on PostgreSQL
 * 15): pg_dump baseline with COPY data, GitLab, Rails, Django, Keycloak/Liquibase output,
 * partitions, DO blocks, BEGIN ATOMIC bodies, enum changes, other linters' comments,
 * placeholders, multi-byte identifiers, CRLF, a BOM, tabs, a comment-only and an empty file.
 * DESIGN.md, "Real-world inputs": it must plan without a crash, every statement with its file and
 * line, and what is not understood comes out as review with a reason.
 */
class CorpusPlanTest {
    private static final String CORPUS = "../engine/src/test/resources/corpus/flyway";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode plan;

    record Run(int exit, String out, String err) {}

    static Run migrate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err), Terminal.NONE);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void planAsJson() throws IOException {
        Run r = migrate("plan", CORPUS, "--placeholder", "schema=public", "--format", "json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(1); // DO blocks, CALL, LOCK TABLE: review and blocking
        plan = MAPPER.readTree(r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "markdown", "sarif"})
    void plansInEveryFormatWithoutErrors(String format) {
        Run r = migrate("plan", CORPUS, "--placeholder", "schema=public", "--format", format);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isBetween(0, 1);
        assertThat(r.out()).isNotBlank();
        if (format.equals("text")) {
            assertThat(r.out()).contains(CORPUS + "/V7__do_blocks_dynamic_sql.sql:22  review")
                    .contains(CORPUS + "/archive/2024/V21.1__unique_index_concurrently.sql:2  compatible");
        }
    }

    @Test
    void everyMigrationIsPlannedInFlywayOrder() {
        List<String> versions = new ArrayList<>();
        plan.get("migrations").forEach(m -> versions.add(m.get("version").isNull() ? "R" : m.get("version").asText()));
        assertThat(versions).containsExactly("1", "2", "2.1", "3", "4", "5", "6", "7", "8", "9", "9.1", "10", "11",
                "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "21.1", "R");
        assertThat(migration("17").get("statements")).isEmpty(); // only comments
        assertThat(migration("18").get("statements")).isEmpty(); // empty file
    }

    /** Each statement's first line is on the line the plan names, in the file it names. */
    @Test
    void everyStatementIsAtItsFileAndLine() throws IOException {
        Map<String, List<String>> files = new HashMap<>();
        int checked = 0;
        for (JsonNode m : plan.get("migrations")) {
            String script = m.get("script").asText();
            List<String> lines = files.computeIfAbsent(script, CorpusPlanTest::linesOf);
            for (JsonNode s : m.get("statements")) {
                int line = s.get("line").asInt();
                String first = s.get("sql").asText().lines().findFirst().orElseThrow();
                assertThat(line).as(script).isBetween(1, lines.size());
                assertThat(lines.get(line - 1)).as(script + ":" + line).contains(first);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(150);
    }

    @Test
    void spotChecks() {
        assertThat(statementAt("1", 83).get("sql").asText()).startsWith("CREATE TABLE public.customers (");
        assertThat(statementAt("1", 152).get("sql").asText()).startsWith("COPY public.customers (id, email");
        assertThat(statementAt("1", 231).get("sql").asText()).isEqualTo("GRANT SELECT ON TABLE public.customers TO PUBLIC");
        // The statement after the COPY data block and the statement after a psql \restrict line.
        assertThat(statementAt("1", 164).get("sql").asText()).startsWith("COPY public.orders");
        assertThat(statementAt("8", 15).get("sql").asText()).startsWith("CREATE PROCEDURE public.disable_client")
                .contains("DELETE FROM public.client_attributes").endsWith("END");
        assertThat(statementAt("12", 2).get("sql").asText()).startsWith("CREATE TABLE public.audit_log (")
                .contains("DEFAULT 'postgres'");
        assertThat(statementAt("14", 17).get("sql").asText()).startsWith("ALTER TABLE public.crlf_notes");
        assertThat(statementAt("15", 2).get("sql").asText()).isEqualTo("CREATE TABLE public.bom_table (id int PRIMARY KEY)");
        assertThat(statementAt("16", 10).get("sql").asText()).isEqualTo("CREATE\tINDEX\ttabbed_name_idx\tON\tpublic.tabbed\t(name)");
        assertThat(statementAt("13", 12).get("findings").findValuesAsText("rule")).contains("identifier-too-long");
        // Other tools' suppression comments are not Tandem's: the findings stay.
        assertThat(statementAt("11", 2).get("classification").asText()).isEqualTo("expand-contract");
        assertThat(statementAt("11", 2).get("suppressed")).isEmpty();
        assertThat(statementAt("7", 2).get("classification").asText()).isEqualTo("review");
        assertThat(migration("21.1").get("script").asText()).isEqualTo("archive/2024/V21.1__unique_index_concurrently.sql");
    }

    @Test
    void reviewAndBlockingStatementsSayWhy() {
        int review = 0;
        for (JsonNode m : plan.get("migrations")) {
            for (JsonNode s : m.get("statements")) {
                String cls = s.get("classification").asText();
                if (!cls.equals("review") && !cls.equals("blocking")) continue;
                review++;
                assertThat(s.get("findings")).as(m.get("script").asText() + ":" + s.get("line")).isNotEmpty();
                for (JsonNode f : s.get("findings")) {
                    assertThat(f.get("rule").asText()).isNotBlank();
                    assertThat(f.get("message").asText()).isNotBlank();
                }
            }
        }
        assertThat(review).isGreaterThanOrEqualTo(8);
    }

    @Test
    void baselineAsASingleFile() {
        Run r = migrate("plan", CORPUS + "/V1__baseline.sql", "--format", "json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isBetween(0, 1);
        assertThat(r.out()).contains("\"line\" : 231");
    }

    private static JsonNode migration(String version) {
        for (JsonNode m : plan.get("migrations")) {
            if (m.get("version").asText().equals(version)) return m;
        }
        throw new AssertionError("no migration " + version);
    }

    private static JsonNode statementAt(String version, int line) {
        for (JsonNode s : migration(version).get("statements")) {
            if (s.get("line").asInt() == line) return s;
        }
        throw new AssertionError("no statement at line " + line + " of migration " + version);
    }

    /** The script's lines as Flyway hands them on: BOM dropped, placeholders replaced. */
    private static List<String> linesOf(String script) {
        try {
            String text = Files.readString(Path.of(CORPUS, script), StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            text = text.replace("${schema}", "public").replace("${flyway:user}", "postgres")
                    .replace("${flyway:defaultSchema}", "public");
            return List.of(text.split("\r?\n", -1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
