package dev.tandem.error;

/**
 * Why Tandem stopped, mapped to the documented process exit codes (Flyway-style error-code enum).
 *
 * <p>Exit codes: 0 success, 1 the plan found something that needs a human (or a failed step),
 * 2 bad input, 3 another run holds the lock.
 */
public enum ErrorCode {
    /** A file or directory cannot be read, or does not exist. */
    UNREADABLE_INPUT(2),
    /** SQL that does not parse as PostgreSQL. */
    SQL_SYNTAX(2),
    /** A Flyway location, file name or configuration that Flyway itself rejects. */
    INVALID_FLYWAY_MIGRATION(2),
    /** A Liquibase changelog that Liquibase cannot read. */
    INVALID_CHANGELOG(2),
    /** An option or value on the command line that is not valid (unknown PostgreSQL version, …). */
    INVALID_ARGUMENT(2),
    /** The database given with --url cannot be reached or read. */
    DATABASE_UNAVAILABLE(2),
    /**
     * A migration file changed (or is gone) after the release planned from it started: the stored
     * plan no longer says what the file says.
     */
    MIGRATION_CHANGED(2),
    /** A step of {@code migrate apply} (or of a rollback) failed: a SQL error, or retries exhausted. */
    STEP_FAILED(1),
    /**
     * What {@code migrate apply} was asked to do conflicts with the release recorded in the
     * database: the plan changed under an unfinished release, phases out of order, an irreversible
     * step in a rollback.
     */
    RELEASE_CONFLICT(1),
    /** Another {@code migrate apply} holds the run lock of the database. */
    RUN_LOCKED(3);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
