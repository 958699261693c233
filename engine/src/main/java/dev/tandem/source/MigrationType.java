package dev.tandem.source;

/** Flyway's kinds of migration; a Liquibase changeSet or a plain SQL file is {@link #VERSIONED}. */
public enum MigrationType {
    VERSIONED,
    UNDO,
    REPEATABLE
}
