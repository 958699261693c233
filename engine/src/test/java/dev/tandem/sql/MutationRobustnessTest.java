package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.error.TandemException;
import dev.tandem.source.FlywayDirectorySource;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlScript;
import dev.tandem.source.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged SQL (a fixed seed, a bounded number of mutations of the real-world corpus's
 * statements: truncated at a token boundary, a token dropped, doubled, swapped or replaced by a
 * keyword, an unbalanced quote, parenthesis, dollar quote or comment opener inserted) must come
 * back from the splitter and the parser as a result or a {@link SqlSyntaxException}; what still
 * parses must go through every rule without anything but a {@link TandemException}. A crash here
 * would be exit 4 (internal error) for a user with a typo in a migration.
 */
class MutationRobustnessTest {
    /** Fixed, so a failure reproduces; -Dtandem.fuzz.seed / .rounds explore further by hand. */
    private static final long SEED = Long.getLong("tandem.fuzz.seed", 20240611L);
    private static final int MUTATIONS_PER_STATEMENT = Integer.getInteger("tandem.fuzz.rounds", 12);
    private static final String[] INSERTS = {"'", "\"", "(", ")", "$$", "$x$", "/*", "E'", "[", "]", ";", "--", "U&'",
            "\\", "::", ",", ".", "*/", "BEGIN", "END", "CASE", "ATOMIC", "\n\\.\n"};
    private static final String[] KEYWORDS = {"NOT", "NULL", "CONCURRENTLY", "ONLY", "CASCADE", "TABLE", "COLUMN",
            "DEFAULT", "USING", "TYPE", "CONSTRAINT", "PRIMARY", "KEY", "REFERENCES", "PARTITION", "OF", "FOR", "VALUES",
            "IF", "EXISTS", "ADD", "DROP", "ALTER", "SET", "WITH", "AS", "ON", "INDEX", "CREATE", "RENAME", "TO",
            "GENERATED", "ALWAYS", "IDENTITY", "VALID", "VALIDATE", "ATTACH", "DETACH", "COLLATE", "CHECK", "UNIQUE",
            "EXCLUDE", "INCLUDE", "WHERE", "FROM", "COPY", "stdin", "DO", "FUNCTION", "RETURNS", "LANGUAGE"};

    private static List<Statement> corpus;
    private static Migration baseline;

    @BeforeAll
    static void readCorpus() {
        List<Migration> all = new FlywayDirectorySource(Path.of("src/test/resources/corpus/flyway"),
                Map.of("schema", "public")).load();
        corpus = all.stream().flatMap(m -> m.statements().stream()).toList();
        baseline = all.getFirst();
        assertThat(corpus).hasSizeGreaterThan(150);
    }

    @Test
    void splitterParserAndRulesSurviveDamagedStatements() {
        Random random = new Random(SEED);
        SqlParser parser = new SqlParser();
        List<String> failures = new ArrayList<>();
        List<Statement> parsed = new ArrayList<>();
        int mutations = 0;
        for (Statement original : corpus) {
            for (int i = 0; i < MUTATIONS_PER_STATEMENT; i++) {
                String text = mutate(original.sql(), random);
                mutations++;
                List<RawStatement> raw;
                try {
                    raw = SqlSplitter.split(text);
                } catch (SqlSyntaxException e) {
                    continue;
                } catch (RuntimeException | StackOverflowError e) {
                    failures.add("split: " + e + "\n    " + text);
                    continue;
                }
                for (RawStatement r : raw) {
                    try {
                        parser.parse(r.sql());
                        parsed.add(Statement.of(r.sql(), 1));
                    } catch (SqlSyntaxException e) {
                        assertThat(e.line()).isPositive();
                        assertThat(e.column()).isPositive();
                    } catch (RuntimeException | StackOverflowError e) {
                        failures.add("parse: " + e + "\n    " + r.sql());
                    }
                }
                // The source layer on the same text: a TandemException with file:line or a script.
                try {
                    SqlScript.parse(text, "V1__x.sql", 1);
                } catch (TandemException e) {
                    assertThat(e.getMessage()).startsWith("V1__x.sql:");
                } catch (RuntimeException | StackOverflowError e) {
                    failures.add("script: " + e + "\n    " + text);
                }
            }
        }
        assertThat(mutations).isEqualTo(corpus.size() * MUTATIONS_PER_STATEMENT);
        assertThat(parsed).hasSizeGreaterThan(mutations / 4);

        // Every statement that parses through every rule, each after the corpus baseline so that
        // the tables it names exist, one statement per migration so one crash does not hide others.
        Classifier classifier = new Classifier(RuleRegistry.all(), PgVersion.DEFAULT);
        for (Statement s : parsed) {
            Migration m = new Migration("2", "mutated", "V2__mutated.sql", MigrationType.VERSIONED, List.of(s), true, Set.of());
            try {
                classifier.classify(List.of(baseline, m), SchemaModel.offline());
            } catch (TandemException e) {
                // a documented error
            } catch (RuntimeException | StackOverflowError e) {
                failures.add("classify: " + e + at(e) + "\n    " + s.sql());
            }
        }
        assertThat(failures).as("%d of %d mutations crashed", failures.size(), mutations).isEmpty();
    }

    private static String at(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return st.length == 0 ? "" : " at " + st[0];
    }

    /** One random damage to {@code sql}, at token boundaries. */
    static String mutate(String sql, Random random) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        if (tokens.isEmpty()) return sql;
        int i = random.nextInt(tokens.size());
        Token t = tokens.get(i);
        return switch (random.nextInt(7)) {
            case 0 -> sql.substring(0, t.start()); // truncated
            case 1 -> sql.substring(0, t.start()) + sql.substring(t.end()); // token dropped
            case 2 -> sql.substring(0, t.end()) + " " + sql.substring(t.start()); // token doubled
            case 3 -> { // two tokens swapped
                if (i + 1 >= tokens.size()) yield sql.substring(0, t.start());
                Token u = tokens.get(i + 1);
                yield sql.substring(0, t.start()) + sql.substring(u.start(), u.end()) + sql.substring(t.end(), u.start())
                        + sql.substring(t.start(), t.end()) + sql.substring(u.end());
            }
            case 4 -> sql.substring(0, t.start()) + KEYWORDS[random.nextInt(KEYWORDS.length)] + sql.substring(t.end());
            case 5 -> sql.substring(0, t.start()) + INSERTS[random.nextInt(INSERTS.length)] + sql.substring(t.start());
            default -> { // the statement cut at a token and glued to a later tail: mismatched shapes
                Token u = tokens.get(random.nextInt(tokens.size()));
                yield sql.substring(0, t.end()) + " " + sql.substring(u.start());
            }
        };
    }
}
