package dev.tandem.cli;

import dev.tandem.classify.PgVersion;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.report.ScriptLocator;
import dev.tandem.source.FlywayDirectorySource;
import dev.tandem.source.LiquibaseChangelogSource;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationSource;
import dev.tandem.source.MigrationType;
import dev.tandem.source.SqlFileSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What {@code migrate plan} reads: the source for the input the user named, and how to show its
 * scripts' paths (relative to the working directory, as the user typed the location).
 *
 * <p>The Liquibase source is only named in its own branch, so that planning a Flyway directory
 * never loads a Liquibase class (start-up time).
 */
record PlanInput(Kind kind, Path path, MigrationSource source, ScriptLocator locator) {

    enum Kind { FLYWAY, LIQUIBASE, SQL_FILE }

    /**
     * The migrations to plan, in the order their runner applies them. Flyway Teams' undo scripts
     * are left out: {@code migrate} plans forward migrations. What the runner would skip with a
     * warning (a file Flyway ignores) is said on {@code err}.
     */
    List<Migration> load(PrintWriter err) {
        List<Migration> all = source.load();
        if (source instanceof FlywayDirectorySource flyway) {
            for (String w : flyway.warnings()) err.println("migrate: warning: " + w);
        }
        if (all.isEmpty()) err.println("migrate: warning: no migrations in " + path);
        return all.stream().filter(m -> m.type() != MigrationType.UNDO).toList();
    }

    /** The positional INPUT and {@code --changelog}: what to read. */
    static void addInput(CommandSpec spec) {
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("INPUT").type(Path.class)
                .description("A Flyway migrations directory (DIR), a single .sql file (FILE.sql), or a Liquibase "
                        + "changelog file.").build());
        spec.addOption(OptionSpec.builder("--changelog").paramLabel("FILE").type(Path.class)
                .description("A Liquibase root changelog (XML, YAML, JSON or formatted SQL).").build());
    }

    /** {@code --placeholder}, {@code --property}, {@code --contexts}: how the runner would read it. */
    static void addSourceOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("--placeholder").paramLabel("KEY=VALUE").type(Map.class)
                .auxiliaryTypes(String.class, String.class)
                .description("A Flyway placeholder, replacing $${KEY} in the scripts. Repeatable.").build());
        spec.addOption(OptionSpec.builder("--property").paramLabel("KEY=VALUE").type(Map.class)
                .auxiliaryTypes(String.class, String.class)
                .description("A Liquibase changelog property, replacing $${KEY}. Repeatable.").build());
        spec.addOption(OptionSpec.builder("--contexts").paramLabel("CONTEXTS").type(Set.class)
                .auxiliaryTypes(String.class).splitRegex(",")
                .description("Liquibase contexts to run (comma-separated); without it, every changeSet runs.").build());
    }

    /** The input the options of {@link #addInput} and {@link #addSourceOptions} name. */
    static PlanInput resolve(CommandSpec spec, PgVersion version, PrintWriter err) {
        Map<String, String> placeholders = orEmpty(spec.findOption("--placeholder").getValue());
        Map<String, String> properties = orEmpty(spec.findOption("--property").getValue());
        checkKeys("--placeholder", placeholders);
        checkKeys("--property", properties);
        Set<String> contexts = spec.findOption("--contexts").getValue();
        return resolve(spec.positionalParameters().get(0).getValue(), spec.findOption("--changelog").getValue(),
                placeholders, properties, contexts != null ? contexts : Set.of(), version, err);
    }

    /** The {@code --placeholder} values given (Flyway's history sync needs them as the scripts were read). */
    static Map<String, String> placeholders(CommandSpec spec) {
        return orEmpty(spec.findOption("--placeholder").getValue());
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
        return m != null ? m : Map.of();
    }

    /** picocli splits KEY=VALUE at the first '='; an empty KEY can only be a typing error. */
    private static void checkKeys(String option, Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key.isBlank()) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, option + " '" + key + "=" + values.get(key)
                        + "' has no name before '='; write " + option + " NAME=VALUE");
            }
        }
    }

    static PlanInput resolve(Path input, Path changelog, Map<String, String> placeholders,
                             Map<String, String> properties, Set<String> contexts, PgVersion version,
                             PrintWriter err) {
        if (input != null && changelog != null) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "give either a migrations directory or file, or --changelog, not both");
        }
        if (input == null && changelog == null) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "nothing to plan: give a Flyway migrations directory, a .sql file, or --changelog FILE");
        }
        if (changelog == null && Files.isRegularFile(input) && isChangelog(input)) {
            changelog = input;
            input = null;
        }
        if (changelog != null) {
            requireReadable(changelog, "changelog");
            if (Files.isDirectory(changelog)) {
                throw new TandemException(ErrorCode.UNREADABLE_INPUT,
                        "--changelog needs a file, and " + changelog + " is a directory");
            }
            if (!placeholders.isEmpty()) {
                err.println("migrate: warning: --placeholder is for Flyway scripts; a Liquibase changelog takes --property");
            }
            // Liquibase generates the SQL of its change types for the target version.
            MigrationSource source = new LiquibaseChangelogSource(changelog, properties, contexts, version.major());
            return new PlanInput(Kind.LIQUIBASE, changelog, source, ScriptLocator.under(parent(changelog)));
        }
        requireReadable(input, "migrations directory or file");
        if (!properties.isEmpty() || !contexts.isEmpty()) {
            err.println("migrate: warning: --property and --contexts are for Liquibase changelogs; ignored");
        }
        if (Files.isDirectory(input)) {
            MigrationSource source = new FlywayDirectorySource(input, placeholders);
            return new PlanInput(Kind.FLYWAY, input, source, ScriptLocator.under(input));
        }
        return new PlanInput(Kind.SQL_FILE, input, new SqlFileSource(input), ScriptLocator.under(parent(input)));
    }

    private static boolean isChangelog(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".xml") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static void requireReadable(Path path, String what) {
        if (!Files.exists(path) && Files.isSymbolicLink(path)) {
            String target;
            try {
                target = Files.readSymbolicLink(path).toString();
            } catch (java.io.IOException e) {
                target = "a missing file";
            }
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, what + " " + path + " is a symbolic link to "
                    + target + ", which does not exist — fix the link or give the real path");
        }
        if (!Files.exists(path)) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "no such " + what + ": " + path);
        }
        if (!Files.isReadable(path)) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, "cannot read " + what + " " + path + ": permission denied");
        }
    }

    /** The directory of {@code file} as the user wrote it ({@code "."} for a bare file name). */
    private static Path parent(Path file) {
        Path p = file.getParent();
        return p != null ? p : Path.of("");
    }
}
