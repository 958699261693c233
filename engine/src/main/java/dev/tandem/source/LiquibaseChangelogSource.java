package dev.tandem.source;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Liquibase changelog (XML, YAML, JSON or formatted SQL) read with Liquibase 4.33's own parsers,
 * following {@code include} and {@code includeAll}, without a database. Each changeSet that would
 * run on PostgreSQL becomes one {@link Migration}, in changelog order:
 *
 * <ul>
 *   <li>{@code version} = the changeSet id, {@code description} = {@code author:id},
 *       {@code script} = the file that defines the changeSet, relative to the root changelog's
 *       directory, {@code type} = {@link MigrationType#VERSIONED},
 *       {@code transactional} = {@code runInTransaction}.</li>
 *   <li>statements: for {@code <sql>} and {@code sqlFile}, the SQL as written (properties
 *       expanded), split by Tandem's splitter so that {@code -- migrate:…} directives in it work;
 *       for every other change, the SQL Liquibase's PostgreSQL generators produce (on an offline
 *       {@code PostgresDatabase}); {@code modifySql} is applied to every statement as Liquibase's
 *       executor applies it. A {@code customChange} (Java code) and a change Liquibase cannot
 *       render offline become a {@code DO} block that raises an error, classified {@code review}.
 *       Liquibase's bookkeeping changes ({@code tagDatabase}, {@code output}, {@code empty},
 *       {@code stop}) produce nothing.</li>
 *   <li>lines: Liquibase keeps none for XML, YAML and JSON, so every statement of a changeSet has
 *       the line of its id in the defining file; in formatted SQL each statement has its own line.
 *       </li>
 *   <li>filters, as {@code liquibase update} applies them: {@code dbms} on changeSets and on
 *       {@code <sql>}/{@code sqlFile} (only what runs on PostgreSQL), {@code contexts} (with none
 *       given, every changeSet, as Liquibase does), {@code ignore="true"}; labels are not filtered.
 *       </li>
 *   <li>preconditions are not evaluated: they need the live database, and the plan has to cover
 *       what would run when they pass.</li>
 *   <li>properties: {@code ${name}} from {@code properties} (which win over the changelog's own
 *       {@code <property>}, as on Liquibase's command line) and the changelog.</li>
 * </ul>
 *
 * <p>Liquibase writes nothing to stdout or stderr while this runs (its logging and console UI are
 * replaced for the duration), and it resolves its XSDs from its jar, never from the network.
 * Liquibase is only loaded by {@link #load()}.
 */
public final class LiquibaseChangelogSource implements MigrationSource {
    /** The PostgreSQL version Liquibase generates SQL for when none is given. */
    public static final int DEFAULT_POSTGRES_MAJOR = 16;

    private final Path changelog;
    private final Map<String, String> properties;
    private final Set<String> contexts;
    private final int postgresMajor;

    public LiquibaseChangelogSource(Path changelog, Map<String, String> properties, Set<String> contexts) {
        this(changelog, properties, contexts, DEFAULT_POSTGRES_MAJOR);
    }

    /** @param postgresMajor the PostgreSQL major version Liquibase's generators target */
    public LiquibaseChangelogSource(Path changelog, Map<String, String> properties, Set<String> contexts,
                                    int postgresMajor) {
        this.changelog = changelog;
        this.properties = Map.copyOf(properties);
        this.contexts = Set.copyOf(contexts);
        this.postgresMajor = postgresMajor;
    }

    @Override
    public List<Migration> load() {
        if (!Files.isRegularFile(changelog)) {
            throw new TandemException(ErrorCode.UNREADABLE_INPUT, Files.isDirectory(changelog)
                    ? changelog + " is a directory: give the root changelog file"
                    : "no such changelog: " + changelog);
        }
        return LiquibaseChangelogReader.read(changelog, properties, contexts, postgresMajor);
    }
}
