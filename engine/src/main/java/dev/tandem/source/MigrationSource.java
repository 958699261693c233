package dev.tandem.source;

import java.util.List;

/**
 * Resolves migrations (Flyway directory, Liquibase changelog, plain SQL file) into {@link Migration}s
 * in the order their runner would apply them. Resolving is separate from executing (as in Flyway).
 * Implementations throw {@link dev.tandem.error.TandemException} with a message naming the file
 * (and line where known) for input their runner would reject.
 */
public interface MigrationSource {
    List<Migration> load();
}
