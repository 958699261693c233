package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The SQL migrations of one Flyway {@code filesystem:} location (a directory and its
 * subdirectories), resolved as Flyway 13 resolves them, without a database:
 *
 * <ul>
 *   <li>names: {@code V<version>__<description>.sql} (dotted or underscored versions,
 *       {@code V5.5.0.1__}, {@code V4_113__} = 4.113), {@code R__<description>.sql}
 *       (repeatable, {@code version} null) and Flyway Teams' {@code U<version>__…sql} undo scripts;
 *       the description is Flyway's (underscores become spaces); {@code script} is the path
 *       relative to the directory ({@code sub/V3__x.sql}). Other {@code .sql} files Flyway ignores
 *       too (callbacks such as {@code beforeMigrate.sql}, {@code notes.sql}, {@code V1_x.sql}), and
 *       says so in {@link #warnings()}; with {@code flyway.validateMigrationNaming=true} they are
 *       an error, as in Flyway.</li>
 *   <li>order: Flyway's ({@code ResolvedMigrationComparator}): versioned by version, an undo
 *       right after the migration it undoes, then repeatables by description. Consumers that
 *       replay migrations skip {@link MigrationType#UNDO}.</li>
 *   <li>errors Flyway raises itself: two migrations of one version ({@code V1__a.sql} and
 *       {@code V1.0__b.sql}) or two repeatables of one description, with Flyway's message naming
 *       both files; a placeholder without a value; a script mixing transactional and
 *       non-transactional statements without {@code mixed=true}.</li>
 *   <li>placeholders: {@code ${name}} replaced by Flyway's own replacement, with Flyway's default
 *       placeholders ({@code ${flyway:defaultSchema}} = configured default schema or
 *       {@code public}, {@code ${flyway:user}} = configured user or {@code postgres},
 *       {@code ${flyway:database}} = {@code postgres}, {@code ${flyway:filename}},
 *       {@code ${flyway:timestamp}}, {@code ${flyway:table}}, …; a {@code flyway:…} entry in
 *       {@code placeholders} overrides the offline value).</li>
 *   <li>{@link Migration#transactional()}: Flyway's default, one transaction a migration;
 *       {@code executeInTransaction=false} (or true) in the script's {@code .conf} file decides when
 *       present; otherwise a script with a statement Flyway's PostgreSQL parser runs outside a
 *       transaction (CREATE INDEX CONCURRENTLY, VACUUM, …, see
 *       {@link TransactionBlock#flywayNonTransactional}) is non-transactional.</li>
 * </ul>
 *
 * <p>Flyway is only loaded by {@link #load()}: constructing this source touches no Flyway class.
 */
public final class FlywayDirectorySource implements MigrationSource {
    private final Path dir;
    private final Map<String, String> placeholders;
    private final Map<String, String> flywayConfiguration;
    private List<String> warnings = List.of();

    /** @param placeholders {@code ${name}} values, as Flyway's {@code flyway.placeholders.name} */
    public FlywayDirectorySource(Path dir, Map<String, String> placeholders) {
        this(dir, placeholders, Map.of());
    }

    /**
     * @param flywayConfiguration Flyway configuration properties as in {@code flyway.conf}
     *                            ({@code flyway.mixed}, {@code flyway.validateMigrationNaming},
     *                            {@code flyway.sqlMigrationPrefix}, {@code flyway.defaultSchema},
     *                            {@code flyway.placeholderPrefix}, …); {@code flyway.locations} is
     *                            replaced by {@code dir}
     */
    public FlywayDirectorySource(Path dir, Map<String, String> placeholders, Map<String, String> flywayConfiguration) {
        this.dir = dir;
        this.placeholders = Map.copyOf(placeholders);
        this.flywayConfiguration = Map.copyOf(flywayConfiguration);
    }

    @Override
    public List<Migration> load() {
        if (!Files.isDirectory(dir)) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, Files.exists(dir)
                    ? dir + " is not a directory: give the directory that holds the V…__….sql files"
                    : "no such directory: " + dir);
        }
        FlywayScriptResolver.Result result = FlywayScriptResolver.resolve(dir, placeholders, flywayConfiguration);
        warnings = List.copyOf(result.warnings());
        return result.migrations();
    }

    /**
     * What the last {@link #load()} skipped as Flyway would, one line each ({@code .sql} files whose
     * names Flyway does not accept); for the user's stderr.
     */
    public List<String> warnings() {
        return warnings;
    }
}
