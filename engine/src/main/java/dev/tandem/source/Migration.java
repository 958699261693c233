package dev.tandem.source;

import java.util.List;
import java.util.Set;

/**
 * One migration: a Flyway script, a Liquibase changeSet or a plain SQL file.
 *
 * @param version       Flyway version as written ({@code "5.5.0.1"}; {@code null} for repeatables),
 *                      the changeSet id for Liquibase, {@code "1"} for a plain file
 * @param description   human description ({@code "rename user name"}, or {@code author:id})
 * @param script        the file, relative to the location or changelog root as the user gave it
 * @param type          versioned, undo or repeatable
 * @param statements    in file order
 * @param transactional whether the runner executes the whole migration in one transaction
 *                      (Flyway default, Liquibase {@code runInTransaction}); explicit
 *                      BEGIN/COMMIT statements in a non-transactional migration open their own
 * @param ignoredRules  rule ids suppressed for every statement by {@code -- migrate:ignore-file}
 */
public record Migration(
        String version,
        String description,
        String script,
        MigrationType type,
        List<Statement> statements,
        boolean transactional,
        Set<String> ignoredRules) {
    public Migration {
        statements = List.copyOf(statements);
        ignoredRules = Set.copyOf(ignoredRules);
    }

    /** A short name for messages: the version, or the script for a repeatable migration. */
    public String label() {
        return version != null ? version : script;
    }
}
