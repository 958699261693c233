package dev.tandem.it.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.cli.Main;
import dev.tandem.cli.Terminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6's version matrix: the rules' verdicts against what PostgreSQL 13, 15 and 18 really do
 * ({@code migrate plan --trace}, an embedded server of each version), on the flyway-shop example
 * (43 statements of every kind) and on a generated history of 100 statements (the plan
 * benchmark's generator). Every statement is traced and none disagrees: a disagreement found here
 * is fixed in the rules, not in the corpus (two were: a validated foreign key, and a retyped
 * foreign key column, read the referenced table in full).
 */
class TraceVersionMatrixIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path generated;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 15, 18})
    void theRulesAgreeWithPostgresOnEveryStatement(int version) throws Exception {
        Path history = generated.resolve("history-" + version);
        generate(history);
        for (Path corpus : List.of(Path.of("../migrations-examples/flyway-shop"), history)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(new String[] {"plan", corpus.toString(), "--trace", "--pg-version", Integer.toString(version),
                    "--format", "json"}, new PrintWriter(out), new PrintWriter(err), Terminal.NONE);
            assertThat(exit).as(err.toString()).isIn(0, 1); // 1: the corpora hold blocking and review statements on purpose
            assertThat(err.toString()).contains("embedded PostgreSQL " + version + ".").contains(": 0 disagree with the rules");
            JsonNode root = MAPPER.readTree(out.toString());
            assertThat(root.get("postgresVersion").asText()).isEqualTo(Integer.toString(version));
            List<String> disagreements = new ArrayList<>();
            int statements = 0;
            for (JsonNode m : root.get("migrations")) {
                for (JsonNode s : m.get("statements")) {
                    statements++;
                    assertThat(s.get("traced").asBoolean()).as(s.get("sql").asText()).isTrue();
                    for (JsonNode f : s.get("findings")) {
                        if (f.get("rule").asText().equals("trace-disagrees")) {
                            disagreements.add(m.get("script").asText() + ":" + s.get("line") + " " + f.get("message").asText());
                        }
                    }
                }
            }
            assertThat(statements).isGreaterThanOrEqualTo(43);
            assertThat(disagreements).as(corpus + " on PostgreSQL " + version).isEmpty();
            System.out.printf("[trace-matrix] PostgreSQL %d, %s: %d statements traced, 0 disagreements; %s%n", version,
                    corpus.getFileName(), statements, err.toString().lines().filter(l -> l.contains("traced")).findFirst()
                            .orElse("").replaceAll(".* in ([0-9.]+ s):.*", "traced in $1"));
        }
    }

    /** The plan benchmark's generator: 10 files, 100 statements, deterministic. */
    private static void generate(Path dir) throws IOException, InterruptedException {
        java.nio.file.Files.createDirectories(dir);
        Process p = new ProcessBuilder("awk", "-v", "dir=" + dir, "-v", "files=10", "-v", "statements=100", "-v", "seed=20240611",
                "-f", "../bench/generate-history.awk").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
