package dev.tandem.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of every {@code fixtures/<rule-id>.sql} file (format: fixtures/README.md)
 * through the real splitter, parser, lock analyzer, replayer and the full rule registry.
 *
 * <p>Each case runs on the lowest and highest version of its {@code pg:} range, plus 16 (the
 * default target) when it lies inside; tests are named {@code <file> › <case> › pg<N>}.
 * {@code -Dtandem.fixtures=add-column-*} (a glob on the file name without {@code .sql}) runs a
 * subset.
 */
public class RuleFixtureTest {

    @TestFactory
    Stream<DynamicTest> fixtures() {
        List<FixtureCase> cases = FixtureFile.loadAll(selection());
        return cases.stream().flatMap(c -> c.versions().stream().map(v -> DynamicTest.dynamicTest(
                c.file() + " › " + c.name() + " › pg" + v, () -> run(c, new PgVersion(v)))));
    }

    /** The parser for the fixture format itself: a bad file must fail loudly, not pass silently. */
    @Test
    void fixtureFormatIsParsedStrictly() {
        String text = """
                -- case: one
                -- pg: 13-17
                -- transactional: false
                -- given:
                CREATE TABLE t (a int);
                -- when:
                -- migrate:ignore x
                ALTER TABLE t ADD COLUMN b int;
                -- expect: statement=1; class=compatible; rules=none
                -- expect: locks=public.t:AccessExclusiveLock
                -- case: two
                -- when:
                SELECT 1;
                -- expect: rules=none
                """;
        List<FixtureCase> cases = FixtureFile.parse("f", text);
        assertThat(cases).hasSize(2);
        FixtureCase one = cases.get(0);
        assertThat(one.versions()).containsExactly(13, 16, 17);
        assertThat(one.transactional()).isFalse();
        assertThat(one.given()).contains("CREATE TABLE t (a int);");
        assertThat(one.when()).contains("-- migrate:ignore x").contains("ALTER TABLE t ADD COLUMN b int;");
        assertThat(one.expectations()).hasSize(2);
        assertThat(one.expectations().get(0).statement()).isEqualTo(1);
        assertThat(one.expectations().get(0).keys()).containsEntry("class", "compatible").containsEntry("rules", "none");
        assertThat(one.expectations().get(1).statement()).isZero();
        assertThat(cases.get(1).versions()).containsExactly(12, 16, 18);
        assertThat(cases.get(1).transactional()).isTrue();

        assertThat(FixtureFile.parse("f", "-- case: x\n-- pg: 17\n-- when:\nSELECT 1;\n-- expect: rules=none\n")
                .get(0).versions()).containsExactly(17);
        assertThat(FixtureFile.parse("f", "-- case: x\n-- pg: 12-15\n-- when:\nSELECT 1;\n-- expect: rules=none\n")
                .get(0).versions()).containsExactly(12, 15);

        assertThatFails(() -> FixtureFile.parse("f", "-- case: x\n-- when:\nSELECT 1;\n"), "no -- expect:");
        assertThatFails(() -> FixtureFile.parse("f", "-- case: x\n-- when:\nSELECT 1;\n-- expect: color=red\n"), "unknown key");
        assertThatFails(() -> FixtureFile.parse("f", "-- case: x\n-- expect: rules=none\n"), "no -- when:");
        assertThatFails(() -> FixtureFile.parse("f", "SELECT 1;\n-- case: x\n"), "before the first");
        assertThatFails(() -> FixtureFile.parse("f", "-- case: x\n-- pg: 11-18\n-- when:\nSELECT 1;\n-- expect: rules=none\n"), "pg:");
    }

    private static void assertThatFails(Runnable r, String messagePart) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains(messagePart);
            return;
        }
        fail("expected a format error containing '" + messagePart + "'");
    }

    private static String selection() {
        String s = System.getProperty("tandem.fixtures");
        return s == null || s.isBlank() ? "*" : s.trim();
    }

    // ------------------------------------------------------------------ running a case

    private static void run(FixtureCase c, PgVersion version) {
        List<Migration> migrations = new ArrayList<>();
        if (!c.given().isBlank()) {
            migrations.add(migration("0", c.file() + " (given)", c.given(), true));
        }
        Migration when = migration("1", c.file() + " (when)", c.when(), c.transactional());
        migrations.add(when);
        ClassifiedSet result = new Classifier(RuleRegistry.all(), version).classify(migrations, SchemaModel.offline());
        MigrationResult mr = result.migrations().get(result.migrations().size() - 1);
        assertThat(mr.statements())
                .as("%s › %s: statements of -- when:", c.file(), c.name())
                .hasSize(when.statements().size());
        for (Expectation e : c.expectations()) {
            int index = e.statement() == 0 ? mr.statements().size() : e.statement();
            assertThat(index).as("%s › %s: statement=%d of %d", c.file(), c.name(), index, mr.statements().size())
                    .isBetween(1, mr.statements().size());
            StatementResult sr = mr.statements().get(index - 1);
            Classification cl = sr.classification();
            String context = describe(c, version, index, sr);
            for (Map.Entry<String, String> k : e.keys().entrySet()) {
                String want = k.getValue();
                switch (k.getKey()) {
                    case "class" -> assertThat(cl.statementClass().id()).as("class\n%s", context).isEqualTo(want);
                    case "rules" -> assertThat(new TreeSet<>(cl.findings().stream().map(Finding::rule).toList()))
                            .as("rules\n%s", context).isEqualTo(set(want));
                    case "rewrites" -> assertThat(new TreeSet<>(cl.rewrites())).as("rewrites\n%s", context).isEqualTo(set(want));
                    case "scans" -> assertThat(new TreeSet<>(cl.scans())).as("scans\n%s", context).isEqualTo(set(want));
                    case "locks" -> assertThat(new TreeSet<>(cl.locks().stream().map(l -> l.table() + ":" + l.mode().pgName()).toList()))
                            .as("locks\n%s", context).isEqualTo(set(want));
                    case "suppressed" -> assertThat(new TreeSet<>(cl.suppressed())).as("suppressed\n%s", context).isEqualTo(set(want));
                    default -> throw new IllegalStateException(k.getKey());
                }
            }
        }
    }

    private static TreeSet<String> set(String value) {
        TreeSet<String> s = new TreeSet<>();
        if (value.equals("none")) return s;
        for (String part : value.split(",")) {
            if (!part.isBlank()) s.add(part.trim());
        }
        return s;
    }

    /** The whole classification of the statement, for failure messages. */
    private static String describe(FixtureCase c, PgVersion version, int index, StatementResult sr) {
        Classification cl = sr.classification();
        StringBuilder sb = new StringBuilder();
        sb.append("  case:       ").append(c.file()).append(" › ").append(c.name()).append(" on PostgreSQL ").append(version).append('\n');
        sb.append("  statement:  ").append(index).append(": ").append(sr.statement().sql()).append('\n');
        sb.append("  parsed as:  ").append(sr.change()).append('\n');
        sb.append("  class:      ").append(cl.statementClass().id()).append('\n');
        sb.append("  locks:      ").append(cl.locks().isEmpty() ? "none"
                : cl.locks().stream().map(l -> l.table() + ":" + l.mode().pgName()).collect(Collectors.joining(", "))).append('\n');
        sb.append("  rewrites:   ").append(cl.rewrites().isEmpty() ? "none" : String.join(", ", cl.rewrites())).append('\n');
        sb.append("  scans:      ").append(cl.scans().isEmpty() ? "none" : String.join(", ", cl.scans())).append('\n');
        sb.append("  suppressed: ").append(cl.suppressed().isEmpty() ? "none" : String.join(", ", cl.suppressed())).append('\n');
        sb.append("  findings:   ").append(cl.findings().isEmpty() ? "none" : "").append('\n');
        for (Finding f : cl.findings()) {
            sb.append("    [").append(f.severity().id()).append("] ").append(f.rule()).append(": ").append(f.message()).append('\n');
            sb.append("        fix: ").append(f.fix()).append('\n');
        }
        return sb.toString();
    }

    /** A migration from fixture SQL, split and with its directives read as the migration sources do. */
    public static Migration migration(String version, String script, String sql, boolean transactional) {
        SqlScript parsed = SqlScript.parse(sql, script, 1);
        return new Migration(version, "fixture", script, MigrationType.VERSIONED, parsed.statements(), transactional,
                parsed.ignoredRules());
    }

    // ------------------------------------------------------------------ the fixture format

    /** One {@code -- expect:} line; {@code statement} 0 means the last statement of {@code when}. */
    public record Expectation(int statement, Map<String, String> keys) {}

    public record FixtureCase(String file, String name, List<Integer> versions, boolean transactional,
                       String given, String when, List<Expectation> expectations) {}

    public static final class FixtureFile {
        private static final Set<String> KEYS = Set.of("class", "rules", "rewrites", "scans", "locks", "suppressed");
        private static final Set<String> CLASSES = Set.of("compatible", "online-rewrite", "expand-contract", "review", "blocking");
        private static final Pattern HEADER = Pattern.compile("^--\\s*(case|pg|transactional|given|when|expect):(.*)$");
        private static final Pattern RANGE = Pattern.compile("^(\\d+)(?:\\s*-\\s*(\\d+))?$");

        public static List<FixtureCase> loadAll(String glob) {
            return loadAll(directory(), glob);
        }

        /** From a directory of fixture files (the integration tests read them from the source tree). */
        public static List<FixtureCase> loadAll(Path dir, String glob) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> selected = files
                        .filter(p -> p.getFileName().toString().endsWith(".sql"))
                        .filter(p -> matcher.matches(Path.of(p.getFileName().toString().replaceFirst("\\.sql$", ""))))
                        .sorted()
                        .toList();
                List<FixtureCase> all = new ArrayList<>();
                for (Path p : selected) {
                    all.addAll(parse(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
                }
                return all;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Path directory() {
            try {
                var url = RuleFixtureTest.class.getClassLoader().getResource("fixtures");
                if (url == null) throw new IllegalStateException("no fixtures directory on the test class path");
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        static List<FixtureCase> parse(String file, String text) {
            List<FixtureCase> cases = new ArrayList<>();
            Builder b = null;
            String section = null;
            int lineNo = 0;
            for (String line : text.split("\n", -1)) {
                lineNo++;
                String stripped = line.strip();
                Matcher h = HEADER.matcher(stripped);
                String where = file + ":" + lineNo + ": ";
                if (h.matches()) {
                    String key = h.group(1);
                    String value = h.group(2).strip();
                    if (key.equals("case")) {
                        if (b != null) cases.add(b.build());
                        if (value.isEmpty()) throw new IllegalArgumentException(where + "-- case: needs a name");
                        b = new Builder(file, value);
                        section = null;
                        continue;
                    }
                    if (b == null) throw new IllegalArgumentException(where + "-- " + key + ": before the first -- case:");
                    switch (key) {
                        case "pg" -> b.versions = versions(where, value);
                        case "transactional" -> {
                            if (!value.equals("true") && !value.equals("false")) {
                                throw new IllegalArgumentException(where + "transactional: must be true or false");
                            }
                            b.transactional = Boolean.parseBoolean(value);
                        }
                        case "given" -> section = "given";
                        case "when" -> {
                            section = "when";
                            b.sawWhen = true;
                        }
                        case "expect" -> {
                            b.expectations.add(expectation(where, value));
                            section = null;
                        }
                        default -> throw new IllegalStateException(key);
                    }
                    continue;
                }
                if (b == null) {
                    if (stripped.isEmpty() || stripped.startsWith("--")) continue;
                    throw new IllegalArgumentException(where + "SQL before the first -- case:");
                }
                if ("given".equals(section)) b.given.append(line).append('\n');
                else if ("when".equals(section)) b.when.append(line).append('\n');
                else if (!stripped.isEmpty() && !stripped.startsWith("--")) {
                    throw new IllegalArgumentException(where + "SQL outside -- given: / -- when: in case '" + b.name + "'");
                }
            }
            if (b != null) cases.add(b.build());
            return cases;
        }

        private static List<Integer> versions(String where, String value) {
            Matcher m = RANGE.matcher(value);
            if (!m.matches()) throw new IllegalArgumentException(where + "pg: expects N or N-M, got '" + value + "'");
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (lo < PgVersion.MIN || hi > PgVersion.MAX || lo > hi) {
                throw new IllegalArgumentException(where + "pg: " + value + " is outside " + PgVersion.MIN + "-" + PgVersion.MAX);
            }
            TreeSet<Integer> v = new TreeSet<>(List.of(lo, hi));
            if (lo < PgVersion.DEFAULT.major() && PgVersion.DEFAULT.major() < hi) v.add(PgVersion.DEFAULT.major());
            return List.copyOf(v);
        }

        private static Expectation expectation(String where, String value) {
            int statement = 0;
            Map<String, String> keys = new LinkedHashMap<>();
            for (String part : value.split(";")) {
                if (part.isBlank()) continue;
                int eq = part.indexOf('=');
                if (eq < 0) throw new IllegalArgumentException(where + "expect: '" + part.strip() + "' is not key=value");
                String k = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String v = part.substring(eq + 1).strip();
                if (k.equals("statement")) {
                    try {
                        statement = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(where + "statement= expects a number");
                    }
                    if (statement < 1) throw new IllegalArgumentException(where + "statement= is 1-based");
                    continue;
                }
                if (!KEYS.contains(k)) throw new IllegalArgumentException(where + "unknown key '" + k + "' (expected " + KEYS + ")");
                if (v.isEmpty()) throw new IllegalArgumentException(where + k + "= needs a value (or none)");
                if (k.equals("class") && !CLASSES.contains(v)) throw new IllegalArgumentException(where + "unknown class '" + v + "'");
                if (keys.put(k, v) != null) throw new IllegalArgumentException(where + "key '" + k + "' given twice");
            }
            if (keys.isEmpty()) throw new IllegalArgumentException(where + "expect: checks nothing");
            return new Expectation(statement, keys);
        }

        private static final class Builder {
            final String file;
            final String name;
            List<Integer> versions = List.of(PgVersion.MIN, PgVersion.DEFAULT.major(), PgVersion.MAX);
            boolean transactional = true;
            boolean sawWhen;
            final StringBuilder given = new StringBuilder();
            final StringBuilder when = new StringBuilder();
            final List<Expectation> expectations = new ArrayList<>();

            Builder(String file, String name) {
                this.file = file;
                this.name = name;
            }

            FixtureCase build() {
                if (!sawWhen || when.toString().isBlank()) {
                    throw new IllegalArgumentException(file + ": case '" + name + "' has no -- when: statements");
                }
                if (expectations.isEmpty()) throw new IllegalArgumentException(file + ": case '" + name + "' has no -- expect:");
                return new FixtureCase(file, name, versions, transactional, given.toString(), when.toString(), expectations);
            }
        }
    }
}
