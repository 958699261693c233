package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.CoreLocationPrefix;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.ClassicConfiguration;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.parser.PlaceholderReplacingReader;
import org.flywaydb.core.internal.resolver.CompositeMigrationResolver;
import org.flywaydb.core.internal.resolver.ResolvedMigrationImpl;
import org.flywaydb.core.internal.resource.ResourceName;
import org.flywaydb.core.internal.resource.ResourceNameParser;
import org.flywaydb.core.internal.scanner.Scanner;
import org.flywaydb.core.internal.sqlscript.SqlScriptMetadata;

/**
 * Resolves the SQL migrations of one directory with Flyway's own machinery, without a database.
 *
 * <p><b>Why internal Flyway classes.</b> Flyway's public API resolves migrations only inside a
 * command ({@code info()}, {@code validate()}, {@code migrate()}), and every command first opens a
 * JDBC connection. The classes those commands use are in {@code org.flywaydb.core.internal}:
 * {@link Scanner} (which files a {@code filesystem:} location holds), {@link ResourceNameParser}
 * (prefixes, versions, descriptions, validity messages), {@link SqlScriptMetadata} (per-script
 * {@code .conf} files), {@link PlaceholderReplacingReader} and {@link ParsingContext}
 * ({@code ${name}} and {@code ${flyway:…}} placeholders) and {@link CompositeMigrationResolver}
 * (Flyway's ordering and its duplicate checks with its own messages). This class is the only one
 * that touches them, so a Flyway upgrade that moves them breaks here and nowhere else; it is
 * pinned to Flyway 13.12.0 by the parent POM.
 *
 * <p><b>What is not Flyway's code.</b> Statement splitting is Tandem's
 * {@link dev.tandem.sql.SqlSplitter} (it keeps comments and lines, Flyway's parser drops them),
 * and the non-transactional statement check is {@link TransactionBlock#flywayNonTransactional}, a
 * copy of Flyway's PostgreSQL rule: Flyway's own parser takes 1.8 s for 10,000 statements.
 */
final class FlywayScriptResolver {
    /** Flyway Teams' prefix for undo migrations; Flyway Community does not resolve them itself. */
    static final String UNDO_PREFIX = "U";

    /** What {@link #resolve} found: the migrations in Flyway's order and notes for the user. */
    record Result(List<Migration> migrations, List<String> warnings) {}

    /**
     * Flyway's name for a resolved SQL migration's type; {@link #UNDO_SQL} is undo so that
     * Flyway's comparator orders it after the versioned migration of the same version, as Flyway
     * Teams does.
     */
    private enum SqlType implements org.flywaydb.core.extensibility.MigrationType {
        SQL(false), UNDO_SQL(true);

        private final boolean undo;

        SqlType(boolean undo) {
            this.undo = undo;
        }

        @Override
        public boolean isUndo() {
            return undo;
        }

        @Override
        public boolean isSynthetic() {
            return false;
        }

        @Override
        public boolean isBaseline() {
            return false;
        }
    }

    /** One file Flyway recognised as a migration, before it is read. */
    private record Found(LoadableResource resource, ResourceName name, MigrationType type) {}

    private FlywayScriptResolver() {}

    static Result resolve(Path dir, Map<String, String> placeholders, Map<String, String> flywayConfiguration) {
        silenceLogging();
        List<String> warnings = new ArrayList<>();
        try {
            ClassicConfiguration cfg = configuration(dir, placeholders, flywayConfiguration);
            Scanner<JavaMigration> scanner = new Scanner<>(JavaMigration.class, cfg, cfg.getLocations());
            ParsingContext parsingContext = parsingContext(cfg, placeholders);
            String[] suffixes = cfg.getSqlMigrationSuffixes();

            ResourceNameParser names = new ResourceNameParser(cfg);

            List<Found> found = new ArrayList<>();
            Set<String> recognised = new HashSet<>();
            collect(scanner, names, cfg.getSqlMigrationPrefix(), suffixes, MigrationType.VERSIONED, found, recognised);
            collect(scanner, names, cfg.getRepeatableSqlMigrationPrefix(), suffixes, MigrationType.REPEATABLE, found, recognised);
            if (!scanner.getResources(UNDO_PREFIX, suffixes).isEmpty()) {
                // Flyway Teams reads U… names exactly as V… names; so does Flyway's parser when
                // the versioned prefix is U.
                ClassicConfiguration undoCfg = new ClassicConfiguration(cfg);
                undoCfg.setSqlMigrationPrefix(UNDO_PREFIX);
                collect(scanner, new ResourceNameParser(undoCfg), UNDO_PREFIX, suffixes, MigrationType.UNDO, found, recognised);
            }

            // As ResourceNameValidator: every other .sql file whose name Flyway does not accept.
            List<String> invalid = new ArrayList<>();
            for (LoadableResource r : scanner.getResources("", suffixes)) {
                if (recognised.contains(r.getRelativePath())) continue;
                ResourceName rn = names.parse(r.getFilename());
                if (!rn.isValid()) {
                    invalid.add(rn.getValidityMessage());
                } else if (Event.fromId(rn.getPrefix()) == null) {
                    // A baseline migration (B…): Flyway applies the latest one instead of the
                    // versioned migrations it covers, on an empty schema history only.
                    warnings.add(r.getRelativePath() + ": a " + rn.getType().getDisplayName().toLowerCase(Locale.ROOT)
                            + " migration; Tandem plans the versioned migrations and leaves it out");
                }
            }
            if (!invalid.isEmpty()) {
                if (cfg.isValidateMigrationNaming()) {
                    throw new TandemException(ErrorCode.INVALID_FLYWAY_MIGRATION,
                            "Flyway rejects these file names (validateMigrationNaming is on):\n  "
                                    + String.join("\n  ", invalid)
                                    + "\nrename them to V<version>__<description>.sql or R__<description>.sql");
                }
                for (String message : invalid) {
                    warnings.add(message + " — Flyway ignores this file (set validateMigrationNaming=true to make it an error)");
                }
            }
            warnings.addAll(brokenLinks(dir, suffixes));
            List<Found> ordered = order(cfg, scanner, found);
            List<Migration> migrations = readAll(ordered, cfg, scanner, parsingContext);
            return new Result(migrations, warnings);
        } catch (FlywayException e) {
            String message = message(e);
            String todo = message.contains("more than one migration with version")
                    ? "give each migration a version of its own (Flyway compares versions as numbers: 1 = 1.0 = 1_0)"
                    : message.contains("more than one repeatable migration")
                    ? "give each repeatable migration a description of its own"
                    : "Flyway itself reports this";
            throw new TandemException(ErrorCode.INVALID_FLYWAY_MIGRATION, message + "\n— " + todo, e);
        }
    }

    private static ClassicConfiguration configuration(Path dir, Map<String, String> placeholders,
                                                      Map<String, String> flywayConfiguration) {
        ClassicConfiguration cfg = new ClassicConfiguration();
        if (!flywayConfiguration.isEmpty()) {
            cfg.configure(flywayConfiguration);
        }
        cfg.setLocations(Location.fromPath(CoreLocationPrefix.FILESYSTEM_PREFIX, dir.toAbsolutePath().normalize().toString()));
        Map<String, String> user = new HashMap<>(cfg.getPlaceholders());
        placeholders.forEach((k, v) -> {
            if (!isDefaultPlaceholder(cfg, k)) user.put(k, v);
        });
        cfg.setPlaceholders(user);
        // Only our resolver below: no Java migrations, no script (.sh/.ps1) migrations.
        cfg.setSkipDefaultResolvers(true);
        return cfg;
    }

    private static boolean isDefaultPlaceholder(ClassicConfiguration cfg, String name) {
        return name.startsWith("flyway" + cfg.getPlaceholderSeparator());
    }

    /**
     * Flyway's default placeholders, which {@code ParsingContext.populate} reads from the database
     * connection. Offline: {@code defaultSchema} is the configured one or PostgreSQL's default
     * {@code public}; {@code user} the configured user or {@code postgres}; {@code database}
     * {@code postgres}. A placeholder given by the caller ({@code flyway:user=app}) wins.
     */
    private static ParsingContext parsingContext(ClassicConfiguration cfg, Map<String, String> placeholders) {
        ParsingContext pc = new ParsingContext();
        Map<String, String> p = pc.getPlaceholders();
        String prefix = "flyway" + cfg.getPlaceholderSeparator();
        String schema = cfg.getDefaultSchema() != null ? cfg.getDefaultSchema()
                : cfg.getSchemas().length > 0 ? cfg.getSchemas()[0] : "public";
        p.put(prefix + "defaultSchema", schema);
        p.put(prefix + "user", cfg.getUser() != null ? cfg.getUser() : "postgres");
        p.put(prefix + "database", "postgres");
        p.put(prefix + "timestamp", new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new Date()));
        p.put(prefix + "workingDirectory", cfg.getWorkingDirectory() != null ? cfg.getWorkingDirectory()
                : System.getProperty("user.dir"));
        p.put(prefix + "table", cfg.getTable());
        p.put(prefix + "environment", cfg.getCurrentEnvironmentName());
        placeholders.forEach((k, v) -> {
            if (isDefaultPlaceholder(cfg, k)) p.put(k, v);
        });
        return pc;
    }

    private static void collect(Scanner<JavaMigration> scanner, ResourceNameParser names, String prefix,
                                String[] suffixes, MigrationType type, List<Found> found, Set<String> recognised) {
        for (LoadableResource r : scanner.getResources(prefix, suffixes)) {
            ResourceName rn = names.parse(r.getFilename());
            // As SqlMigrationResolver.addMigrations: a callback (beforeMigrate.sql, …) is a valid
            // name but not a migration.
            if (!rn.isValid() || Event.fromId(rn.getPrefix()) != null || !prefix.equals(rn.getPrefix())) continue;
            recognised.add(r.getRelativePath());
            found.add(new Found(r, rn, type));
        }
    }

    /**
     * Flyway's order and duplicate checks: {@link CompositeMigrationResolver} sorts with
     * {@code ResolvedMigrationComparator} (versioned by version, an undo after its version, then
     * repeatables by description) and fails on two migrations of one version, or two repeatables
     * of one description, with Flyway's message naming both files.
     */
    private static List<Found> order(ClassicConfiguration cfg, Scanner<JavaMigration> scanner, List<Found> found) {
        Map<ResolvedMigration, Found> byResolved = new IdentityHashMap<>();
        List<ResolvedMigration> resolved = new ArrayList<>(found.size());
        for (Found f : found) {
            // physicalLocation is what Flyway's duplicate message shows: the relative path.
            ResolvedMigration rm = new ResolvedMigrationImpl(f.name().getVersion(), f.name().getDescription(),
                    f.resource().getRelativePath(), null, null,
                    f.type() == MigrationType.UNDO ? SqlType.UNDO_SQL : CoreMigrationType.SQL,
                    f.resource().getRelativePath(), null);
            byResolved.put(rm, f);
            resolved.add(rm);
        }
        MigrationResolver ours = context -> resolved;
        Collection<ResolvedMigration> sorted =
                new CompositeMigrationResolver(scanner, scanner, cfg, null, null, null, null, ours).resolveMigrations(cfg);
        List<Found> out = new ArrayList<>(sorted.size());
        for (ResolvedMigration rm : sorted) {
            Found f = byResolved.get(rm);
            if (f != null) out.add(f);
        }
        return out;
    }

    /**
     * Reads and splits the scripts on all cores (a history of a thousand files is most of a plan's
     * time); the first failing script in Flyway's order decides the error, as a sequential read
     * would.
     */
    private static List<Migration> readAll(List<Found> ordered, ClassicConfiguration cfg,
                                           Scanner<JavaMigration> scanner, ParsingContext parsingContext) {
        List<Object> results = ordered.parallelStream().map(f -> {
            try {
                return (Object) read(f, cfg, scanner, parsingContext);
            } catch (RuntimeException e) {
                return e;
            }
        }).toList();
        List<Migration> migrations = new ArrayList<>(results.size());
        for (Object r : results) {
            if (r instanceof RuntimeException e) throw e;
            migrations.add((Migration) r);
        }
        return migrations;
    }

    private static Migration read(Found f, ClassicConfiguration cfg, Scanner<JavaMigration> scanner,
                                  ParsingContext parsingContext) {
        String script = f.resource().getRelativePath();
        SqlScriptMetadata metadata;
        try {
            metadata = SqlScriptMetadata.fromResource(SqlScriptMetadata.getMetadataResource(scanner, f.resource()), null, cfg);
        } catch (FlywayException e) {
            throw new TandemException(ErrorCode.INVALID_FLYWAY_MIGRATION,
                    script + ".conf: " + message(e) + " — Flyway reads executeInTransaction, encoding,"
                            + " placeholderReplacement and shouldExecute there", e);
        }
        Charset encoding = metadata.encoding() != null ? Charset.forName(metadata.encoding()) : cfg.getEncoding();
        String text = text(f.resource(), encoding, script);
        boolean replace = metadata.placeholderReplacement() != null ? metadata.placeholderReplacement()
                : cfg.isPlaceholderReplacement();
        // Without the prefix in the text Flyway's replacement is the identity; skipping it saves
        // Flyway's character-by-character reader on nearly every file.
        if (replace && text.contains(cfg.getPlaceholderPrefix())) {
            text = replacePlaceholders(text, f.name(), cfg, parsingContext, script);
        }
        SqlScript sql = SqlScript.parse(text, script, 1);

        Boolean configured = metadata.executeInTransaction();
        boolean transactional;
        if (configured != null) {
            transactional = configured;
        } else {
            boolean anyTransactional = false;
            boolean anyNonTransactional = false;
            for (Statement s : sql.statements()) {
                boolean nonTransactional = TransactionBlock.flywayNonTransactional(s.sql());
                if (nonTransactional) anyNonTransactional = true;
                else anyTransactional = true;
                // ParserSqlScript.parse: Flyway refuses the mix unless mixed=true.
                if (anyTransactional && anyNonTransactional && !cfg.isMixed() && cfg.isExecuteInTransaction()) {
                    throw new TandemException(ErrorCode.INVALID_FLYWAY_MIGRATION, script + ":" + s.line()
                            + ": Flyway would refuse this migration: \"Detected both transactional and"
                            + " non-transactional statements within the same migration (even though mixed is"
                            + " false)\" — move the non-transactional statements (CREATE INDEX CONCURRENTLY, …)"
                            + " into a migration of their own, set executeInTransaction=false in "
                            + script + ".conf, or set flyway.mixed=true");
                }
            }
            transactional = !anyNonTransactional && cfg.isExecuteInTransaction();
        }
        String version = f.type() == MigrationType.REPEATABLE ? null : f.name().getVersion().getVersion();
        return new Migration(version, f.name().getDescription(), script, f.type(), sql.statements(), transactional,
                sql.ignoredRules());
    }

    /**
     * Symbolic links named like scripts whose target does not exist: Flyway's scanner passes over
     * them without a word, so a migration that was meant to run would silently be missing from
     * the plan.
     */
    private static List<String> brokenLinks(Path dir, String[] suffixes) {
        List<String> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.filter(Files::isSymbolicLink)
                    .filter(p -> java.util.Arrays.stream(suffixes).anyMatch(x -> p.getFileName().toString().endsWith(x)))
                    .filter(p -> !Files.exists(p))
                    .sorted()
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/') + ": a symbolic link to "
                            + target(p) + ", which does not exist — Flyway skips it; fix the link or remove it"));
        } catch (IOException | UncheckedIOException e) {
            // An unreadable subdirectory: Flyway's scanner reports what matters; this check is a courtesy.
        }
        return out;
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "a missing file";
        }
    }

    private static String text(LoadableResource resource, Charset encoding, String script) {
        // Files.readString rather than the resource's reader: a third of the cost, same decoding
        // (the configured or .conf encoding, malformed input is an error).
        Path file = Path.of(resource.getAbsolutePathOnDisk());
        // A named pipe (or device) named like a migration would block the read forever, or read
        // something that is not a script: only regular files are migrations.
        if (!Files.isRegularFile(file)) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, script + ": not a regular file (a named pipe,"
                    + " socket or device) — a migration must be a file holding its SQL; replace or remove it");
        }
        try {
            return Files.readString(file, encoding);
        } catch (CharacterCodingException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, script + ": not valid " + encoding
                    + " text — save the file as " + encoding + ", or name its encoding in " + script
                    + ".conf (encoding=…)", e);
        } catch (IOException e) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "cannot read " + script + ": " + e.getMessage(), e);
        }
    }

    private static String replacePlaceholders(String text, ResourceName name, ClassicConfiguration cfg,
                                              ParsingContext pc, String script) {
        Reader reader;
        // ${flyway:filename} lives in the shared context; the reader copies the placeholders.
        synchronized (pc) {
            pc.updateFilenamePlaceholder(name, cfg);
            reader = PlaceholderReplacingReader.create(cfg, pc, new StringReader(text));
        }
        try (Reader r = reader) {
            StringBuilder sb = new StringBuilder(text.length() + 64);
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) >= 0; ) sb.append(buf, 0, n);
            return sb.toString();
        } catch (FlywayException e) {
            String message = message(e);
            int line = placeholderLine(text, message);
            int open = message.indexOf("${");
            int close = open < 0 ? -1 : message.indexOf('}', open);
            String placeholder = close > open + 2 ? message.substring(open + 2, close) : "NAME";
            String todo = placeholder.startsWith("flyway" + cfg.getPlaceholderSeparator())
                    ? "Flyway fills this one from the database; give it offline with --placeholder " + placeholder + "=VALUE"
                    : "give it a value with --placeholder " + placeholder + "=VALUE (Flyway: flyway.placeholders." + placeholder
                            + "), or set placeholderReplacement=false in " + script + ".conf if the text is not"
                            + " a placeholder";
            throw new TandemException(ErrorCode.INVALID_FLYWAY_MIGRATION, script + (line > 0 ? ":" + line : "")
                    + ": " + message + " — " + todo, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line of the first {@code ${…}} that Flyway's message names, or 0. */
    private static int placeholderLine(String text, String message) {
        int open = message.indexOf("${");
        if (open < 0) return 0;
        int close = message.indexOf('}', open);
        if (close < 0) return 0;
        int at = text.indexOf(message.substring(open, close + 1));
        if (at < 0) return 0;
        int line = 1;
        for (int i = 0; i < at; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** Flyway's message, trimmed of the double spaces and the line breaks it uses. */
    static String message(FlywayException e) {
        String m = e.getMessage() == null ? "Flyway failed" : e.getMessage();
        return m.replace("\r\n", "\n").replace(".  ", ". ").strip();
    }

    /**
     * Flyway logs through a static factory; by default it buffers, and with a configuration it may
     * print to stdout. Tandem's stdout carries the plan (pure JSON with --format json), so every
     * Flyway message is dropped.
     */
    private static void silenceLogging() {
        LogFactory.setLogCreator(clazz -> Silent.LOG);
    }

    private enum Silent implements Log {
        LOG;

        @Override public void debug(String message) { }
        @Override public void info(String message) { }
        @Override public void warn(String message) { }
        @Override public void error(String message) { }
        @Override public void error(String message, Exception e) { }
        @Override public void notice(String message) { }
    }
}
