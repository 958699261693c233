package dev.tandem.classify.rules.groupb;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleGroupB;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.Statement;
import dev.tandem.sql.RawStatement;
import dev.tandem.sql.SqlSplitter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A rule that throws stops the whole plan, so the group B rules must survive any statement the
 * parser hands them. Every fixture file (both groups) is classified as one long migration, in and
 * out of a transaction, on every supported version, with only the group B rules.
 */
class GroupBRobustnessTest {

    @Test
    void groupBRulesNeverThrowOnAnyFixtureStatement() throws IOException, URISyntaxException {
        Path dir = Path.of(GroupBRobustnessTest.class.getClassLoader().getResource("fixtures").toURI());
        List<String> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                scripts.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        for (int v = PgVersion.MIN; v <= PgVersion.MAX; v++) {
            PgVersion version = new PgVersion(v);
            for (boolean transactional : new boolean[] {true, false}) {
                for (String script : scripts) {
                    Migration m = migration(script, transactional);
                    assertThatCode(() -> new Classifier(RuleGroupB.rules(), version).classify(List.of(m), SchemaModel.offline()))
                            .as("pg%d transactional=%s", v, transactional)
                            .doesNotThrowAnyException();
                }
            }
        }
    }

    private static Migration migration(String script, boolean transactional) {
        List<Statement> statements = new ArrayList<>();
        for (RawStatement raw : SqlSplitter.split(script)) {
            statements.add(new Statement(raw.sql(), raw.line(), Set.of(), List.of()));
        }
        return new Migration("1", "robustness", "V1__robustness.sql", MigrationType.VERSIONED, statements, transactional,
                Set.of());
    }
}
