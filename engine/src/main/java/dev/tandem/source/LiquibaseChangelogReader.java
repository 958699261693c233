package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.DbmsTargetedChange;
import liquibase.change.core.EmptyChange;
import liquibase.change.core.OutputChange;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;
import liquibase.change.core.StopChange;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ChangeSetFilter;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.DatabaseList;
import liquibase.database.OfflineConnection;
import liquibase.exception.ValidationErrors;
import liquibase.logging.core.NoOpLogService;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import liquibase.ui.LoggerUIService;

/**
 * Reads a Liquibase changelog with Liquibase 4.33's own parsers and SQL generators, offline. All
 * Liquibase use is here (and in {@link OfflineCustomChange}), so that planning a Flyway directory
 * never loads a Liquibase class.
 *
 * <p>The search path (where {@code include}, {@code includeAll} and {@code sqlFile} paths are
 * looked up, as Liquibase's {@code --search-path}) is the root changelog's directory and then each
 * of its parent directories, so that both {@code relativeToChangelogFile} includes and the
 * search-path-relative includes of the Liquibase CLI (paths from the project directory) and of
 * Spring Boot (paths from {@code src/main/resources}) resolve; the nearest directory wins.
 */
final class LiquibaseChangelogReader {
    /**
     * Liquibase logs through java.util.logging under "liquibase" before Tandem's scope (with its
     * no-op log service) is in place, while the root scope initialises. Held here because
     * java.util.logging keeps loggers only weakly, and a collected logger forgets its level.
     */
    private static final Logger LIQUIBASE_JUL = Logger.getLogger("liquibase");

    private static final Pattern EXCEPTION_CLASS =
            Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

    private final Path changelog;
    private final Path rootDir;
    private final List<Path> searchPath;
    private final Map<String, String> properties;
    private final Set<String> contexts;
    private final int postgresMajor;
    /** Per changelog file (Liquibase's physical path): its text, line locator and script name. */
    private final Map<String, ChangelogFile> files = new HashMap<>();

    private record ChangelogFile(String script, String text, ChangeSetLocator locator) {}

    private LiquibaseChangelogReader(Path changelog, Map<String, String> properties, Set<String> contexts,
                                     int postgresMajor) {
        this.changelog = changelog.toAbsolutePath().normalize();
        this.rootDir = this.changelog.getParent();
        List<Path> roots = new ArrayList<>();
        for (Path p = rootDir; p != null; p = p.getParent()) roots.add(p);
        this.searchPath = roots;
        this.properties = properties;
        this.contexts = contexts;
        this.postgresMajor = postgresMajor;
    }

    static List<Migration> read(Path changelog, Map<String, String> properties, Set<String> contexts, int postgresMajor) {
        return new LiquibaseChangelogReader(changelog, properties, contexts, postgresMajor).read();
    }

    private List<Migration> read() {
        LIQUIBASE_JUL.setLevel(Level.OFF);
        String name = changelog.getFileName().toString();
        ResourceAccessor resources;
        try {
            List<ResourceAccessor> accessors = new ArrayList<>();
            for (Path p : searchPath) accessors.add(new DirectoryResourceAccessor(p));
            resources = new CompositeResourceAccessor(accessors.toArray(ResourceAccessor[]::new));
        } catch (FileNotFoundException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "cannot read the directory of " + changelog, e);
        }
        Map<String, Object> scope = new HashMap<>();
        // stdout carries the plan: Liquibase's console UI prints to it, its logs would reach stderr.
        scope.put(Scope.Attr.logService.name(), new NoOpLogService());
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        scope.put(Scope.Attr.resourceAccessor.name(), resources);
        try {
            return Scope.child(scope, () -> readInScope(name, resources));
        } catch (TandemException e) {
            throw e;
        } catch (StackOverflowError e) {
            // Liquibase follows <include> recursively and detects cycles only for includeAll
            // (errorOnCircularIncludeAll): a changelog that includes itself, directly or through
            // others, recurses until the stack is exhausted, in Liquibase itself too.
            throw new TandemException(ErrorCode.INVALID_CHANGELOG, name + ": the includes never end — a changelog"
                    + " includes itself, directly or through the changelogs it includes; remove the include that"
                    + " closes the loop (Liquibase itself fails on it with a stack overflow)", e);
        } catch (Exception e) {
            throw new TandemException(ErrorCode.INVALID_CHANGELOG, name + ": " + describe(e)
                    + " — fix the changelog so that Liquibase can read it", e);
        }
    }

    private List<Migration> readInScope(String name, ResourceAccessor resources) throws Exception {
        OfflineCustomChange.register();
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                new OfflineConnection("offline:postgresql?version=" + postgresMajor, resources));
        ChangeLogParameters parameters = new ChangeLogParameters(database);
        properties.forEach(parameters::set);
        Contexts ctx = new Contexts(contexts);
        parameters.setContexts(ctx);

        DatabaseChangeLog log;
        try {
            ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(name, resources);
            log = parser.parse(name, parameters, resources);
        } catch (Exception e) {
            throw new TandemException(ErrorCode.INVALID_CHANGELOG, parseMessage(name, e), e);
        }

        List<ChangeSetFilter> filters = List.of(new ContextChangeSetFilter(ctx),
                new LabelChangeSetFilter(new LabelExpression()), new DbmsChangeSetFilter(database),
                new IgnoreChangeSetFilter());
        List<Migration> migrations = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (ChangeSet cs : log.getChangeSets()) {
            ChangelogFile file = file(cs);
            // Located before filtering: the locator walks each file in document order.
            int line = Math.max(1, file.locator().lineOf(cs.getAuthor(), cs.getId()));
            if (!accepted(filters, cs)) continue;
            // Liquibase's validation (before every update) refuses two changeSets with one identity.
            Integer first = seen.putIfAbsent(file.script() + "::" + cs.getId() + "::" + cs.getAuthor(), line);
            if (first != null) {
                throw new TandemException(ErrorCode.INVALID_CHANGELOG, file.script() + ":" + line + ": changeSet "
                        + cs.getAuthor() + ":" + cs.getId() + " is defined twice (first at line " + first
                        + ") — Liquibase refuses duplicate changeSet identifiers; give one of them another id");
            }
            migrations.add(migration(cs, file, line, database));
        }
        return migrations;
    }

    private static boolean accepted(List<ChangeSetFilter> filters, ChangeSet cs) {
        for (ChangeSetFilter f : filters) {
            if (!f.accepts(cs).isAccepted()) return false;
        }
        return true;
    }

    private Migration migration(ChangeSet cs, ChangelogFile file, int line, Database database) {
        String label = file.script() + ":" + line + ": changeSet " + cs.getAuthor() + ":" + cs.getId();
        List<Statement> statements = new ArrayList<>();
        Set<String> fileIgnored = new LinkedHashSet<>();
        boolean formatted = ChangeSetLocator.formatOf(file.script()) == ChangeSetLocator.Format.SQL;
        for (Change change : cs.getChanges()) {
            if (change instanceof DbmsTargetedChange t && !DatabaseList.definitionMatches(t.getDbms(), database, true)) {
                continue; // <sql dbms="mysql">: Liquibase skips it on PostgreSQL
            }
            switch (change) {
                case OfflineCustomChange custom -> statements.add(Statement.of(opaque("customChange "
                        + custom.getClassName() + " runs Java code"), line));
                case SQLFileChange sqlFile -> {
                    String text = sqlText(sqlFile, label);
                    if (text == null) continue;
                    SqlScript script = SqlScript.parse(text, label + " sqlFile " + sqlFile.getPath(), 1);
                    fileIgnored.addAll(script.ignoredRules());
                    for (Statement s : script.statements()) {
                        statements.add(new Statement(visit(cs, s.sql(), database), line, s.ignoredRules(), s.annotations()));
                    }
                }
                case RawSQLChange raw -> {
                    String text = raw.getSql();
                    if (text == null || text.isBlank() || "empty".equalsIgnoreCase(text.strip())) continue;
                    SqlScript script;
                    if (formatted) {
                        // Formatted SQL: the statements' own lines in the file.
                        int first = raw.getSqlStartLine() != null
                                ? file.locator().firstNonBlankFrom(raw.getSqlStartLine()) : line + 1;
                        script = SqlScript.parse(text.strip(), file.script(), first);
                    } else {
                        script = SqlScript.parse(text, label + " <sql>", 1);
                    }
                    fileIgnored.addAll(script.ignoredRules());
                    for (Statement s : script.statements()) {
                        statements.add(new Statement(visit(cs, s.sql(), database), formatted ? s.line() : line,
                                s.ignoredRules(), s.annotations()));
                    }
                }
                // Liquibase's own bookkeeping or no SQL at all.
                case TagDatabaseChange ignored -> { }
                case EmptyChange ignored -> { }
                case OutputChange ignored -> { }
                case StopChange ignored -> { }
                default -> generated(change, cs, label, line, database, statements);
            }
        }
        return new Migration(cs.getId(), cs.getAuthor() + ":" + cs.getId(), file.script(), MigrationType.VERSIONED,
                statements, cs.isRunInTransaction(), fileIgnored);
    }

    /** SQL that PostgresDatabase's generators produce for one change, after modifySql. */
    private void generated(Change change, ChangeSet cs, String label, int line, Database database,
                           List<Statement> out) {
        String type = change.getSerializedObjectName();
        try {
            change.finishInitialization();
            ValidationErrors errors = change.validate(database);
            if (errors != null && errors.hasErrors()) {
                throw new TandemException(ErrorCode.INVALID_CHANGELOG, label + ": " + type + ": "
                        + String.join("; ", errors.getErrorMessages()) + " — Liquibase would refuse this changeSet");
            }
            SqlGeneratorFactory generators = SqlGeneratorFactory.getInstance();
            for (SqlStatement st : change.generateStatements(database)) {
                if (st.skipOnUnsupported() && !generators.supports(st, database)) continue;
                Sql[] sqls = generators.generateSql(st, database);
                if (sqls == null) continue;
                for (Sql sql : sqls) {
                    if (sql == null) continue;
                    String text = stripTerminator(sql.toSql());
                    if (!text.isBlank()) out.add(Statement.of(visit(cs, text, database), line));
                }
            }
        } catch (TandemException e) {
            throw e;
        } catch (Exception e) {
            // Changes that need a live database (dropAllForeignKeyConstraints, …): not readable offline.
            out.add(Statement.of(opaque(type + " cannot be turned into SQL without a database ("
                    + describe(e) + ")"), line));
        }
    }

    /** Applies the changeSet's {@code modifySql} visitors as Liquibase's executor does. */
    private static String visit(ChangeSet cs, String sql, Database database) {
        String out = sql;
        for (SqlVisitor v : cs.getSqlVisitors()) {
            out = v.modifySql(out, database);
        }
        return out;
    }

    private static String sqlText(SQLFileChange change, String label) {
        try {
            change.finishInitialization();
            return change.getSql();
        } catch (Exception e) {
            throw new TandemException(ErrorCode.INVALID_CHANGELOG, label + ": sqlFile " + change.getPath() + ": "
                    + describe(e) + " — check the path (relative to the search path, or set"
                    + " relativeToChangelogFile=\"true\")", e);
        }
    }

    /**
     * A statement that stands for something Tandem cannot see: Java code or a change Liquibase
     * cannot render offline. A DO block is classified {@code review}; its body raises an error,
     * so that running it by mistake fails loudly instead of silently doing nothing.
     */
    static String opaque(String what) {
        String text = ("Liquibase " + what + ": Tandem cannot plan it").replace("'", "''");
        return "DO $tandem$ BEGIN RAISE EXCEPTION '" + text + "'; END $tandem$";
    }

    private static String stripTerminator(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).stripTrailing();
        return s;
    }

    private ChangelogFile file(ChangeSet cs) {
        String physical = cs.getChangeLog() != null && cs.getChangeLog().getPhysicalFilePath() != null
                ? cs.getChangeLog().getPhysicalFilePath() : cs.getFilePath();
        return files.computeIfAbsent(physical, p -> {
            Path real = resolve(p);
            String script = real != null ? scriptName(real) : p;
            String text = "";
            if (real != null) {
                try {
                    text = Files.readString(real, StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    text = ""; // Liquibase has read it; lines fall back to 1
                }
            }
            return new ChangelogFile(script, text, new ChangeSetLocator(text, ChangeSetLocator.formatOf(p)));
        });
    }

    /** The file Liquibase read for {@code path}: the first search path entry that has it. */
    private Path resolve(String path) {
        String p = path.replace('\\', '/');
        if (p.startsWith("file:")) p = p.substring(5);
        Path direct = Path.of(p);
        if (direct.isAbsolute() && Files.isRegularFile(direct)) return direct.normalize();
        while (p.startsWith("/")) p = p.substring(1);
        for (Path root : searchPath) {
            Path f = root.resolve(p).normalize();
            if (Files.isRegularFile(f)) return f;
        }
        return null;
    }

    /** {@code f} relative to the root changelog's directory, with forward slashes. */
    private String scriptName(Path f) {
        return rootDir.relativize(f).toString().replace('\\', '/');
    }

    private static final Pattern SAX_POSITION =
            Pattern.compile("Error parsing line (\\d+) column (\\d+) of ([^:]+): (.*)");
    private static final Pattern XSD_UNEXPECTED_ELEMENT = Pattern.compile(
            "cvc-complex-type\\.2\\.4\\.[a-d]: Invalid content was found starting with element "
                    + "'\\{?(?:\"[^\"]*\":)?([^'}]+)\\}?'.*");
    private static final Pattern YAML_POSITION = Pattern.compile("in 'reader', line (\\d+), column (\\d+)");
    private static final Pattern NOT_IN_SEARCH_PATH =
            Pattern.compile("The file (\\S+) was not found in the configured search path.*");
    private static final Pattern UNKNOWN_CHANGE = Pattern.compile("Unknown change type '([^']+)'");
    private static final Pattern REPEATED_PREFIX = Pattern.compile("(?:Error parsing \\S+?\\s*:\\s*)+(?=Error parsing)");

    /**
     * A parse failure as {@code file:line:column: what — what to do}, from Liquibase's, SAX's and
     * SnakeYAML's messages (positions moved to the front, the XSD's list of every allowed element
     * and the search path listing left out).
     */
    private String parseMessage(String name, Exception e) {
        String what = REPEATED_PREFIX.matcher(describe(e)).replaceAll("");
        String file = name;
        String position = "";
        Matcher m;
        if ((m = SAX_POSITION.matcher(what)).find()) {
            file = m.group(3).strip();
            position = ":" + m.group(1) + ":" + m.group(2);
            what = m.group(4);
        } else if (what.startsWith("Syntax error in file ") && (m = YAML_POSITION.matcher(what)).find()) {
            String rest = what.substring("Syntax error in file ".length());
            int colon = rest.indexOf(':');
            if (colon > 0) file = rest.substring(0, colon).strip();
            String line = null;
            String column = null;
            do {
                line = m.group(1);
                column = m.group(2);
            } while (m.find());
            position = ":" + line + ":" + column;
            int caret = what.lastIndexOf("^ ", what.lastIndexOf("in 'reader'"));
            int in = what.lastIndexOf(" in 'reader'");
            String problem = caret >= 0 && caret < in ? what.substring(caret + 2, in) : what;
            what = "YAML syntax error: " + problem.strip();
        } else if (what.startsWith("Error parsing ")) {
            String rest = what.substring("Error parsing ".length());
            int colon = rest.indexOf(':');
            if (colon > 0) {
                file = rest.substring(0, colon).strip();
                what = rest.substring(colon + 1).strip();
            }
        }
        String todo;
        if ((m = XSD_UNEXPECTED_ELEMENT.matcher(what)).find()) {
            what = "<" + m.group(1) + "> is not allowed here: it is not a change type of Liquibase 4.33's XSD,"
                    + " or it is misplaced";
            todo = "check its spelling and capitalisation (e.g. createTable), or use a <sql> change";
        } else if ((m = UNKNOWN_CHANGE.matcher(what)).find()) {
            int line = lineOfWord(file, m.group(1));
            if (line > 0 && position.isEmpty()) position = ":" + line;
            what = "unknown change type '" + m.group(1) + "'";
            todo = "check its spelling and capitalisation (e.g. createTable), or use a sql change";
        } else if ((m = NOT_IN_SEARCH_PATH.matcher(what)).find()) {
            what = "the file " + m.group(1) + " was not found";
            todo = "check the path: it is relative to the including file with relativeToChangelogFile=\"true\","
                    + " else to the root changelog's directory or one of its parents";
        } else {
            String lower = what.toLowerCase(Locale.ROOT);
            todo = lower.contains("not found") || lower.contains("does not exist")
                    ? "check the path" : "fix the changelog so that Liquibase can read it";
        }
        return file + position + ": " + what + " — " + todo;
    }

    /** The 1-based line of the first {@code word} followed by a colon or quote in a changelog file, or 0. */
    private int lineOfWord(String file, String word) {
        Path f = resolve(file);
        if (f == null) return 0;
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            Pattern p = Pattern.compile("(?:^|[\\s\"{-])" + Pattern.quote(word) + "\"?\\s*:");
            for (int i = 0; i < lines.size(); i++) {
                if (p.matcher(lines.get(i)).find()) return i + 1;
            }
        } catch (IOException | RuntimeException ignored) {
            // no line then
        }
        return 0;
    }

    /**
     * The most useful message of an exception chain, without Java class names: Liquibase wraps
     * SAX, YAML and I/O errors, often repeating the cause's message with its class name.
     */
    static String describe(Throwable e) {
        Throwable best = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) best = t;
            if (t.getCause() == t) break;
        }
        // The outermost message often has the file and line; prefer it when it is not just a wrapper.
        String outer = e.getMessage();
        String inner = best.getMessage();
        String message;
        if (outer != null && inner != null && outer.contains(inner)) message = outer;
        else if (outer != null && inner != null && !outer.isBlank()) message = outer + ": " + inner;
        else message = inner != null ? inner : outer != null ? outer : "unreadable";
        if (best instanceof FileNotFoundException && inner != null
                && !inner.toLowerCase(Locale.ROOT).contains("not found") && !inner.contains("not exist")) {
            message = message + " (not found)";
        }
        message = EXCEPTION_CLASS.matcher(message).replaceAll("");
        return message.replaceAll("\\s+", " ").strip();
    }
}
