package dev.tandem.exec;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.plan.Phase;

/**
 * A step failed: an error that is not retried, or retries ran out (exit code 1). The message is
 * what {@code migrate apply} prints: the migration and line, the step's SQL and PostgreSQL's error.
 * The step is recorded as failed; the next run resumes at it.
 */
public final class StepFailedException extends TandemException {
    private final Phase phase;
    private final String migration;
    private final int line;
    private final String sql;
    private final String sqlState;
    private final String serverMessage;
    private final int attempts;

    StepFailedException(String action, Phase phase, String migration, int line, String sql, String sqlState,
            String serverMessage, int attempts, boolean retriesExhausted, Throwable cause) {
        super(ErrorCode.STEP_FAILED, action + " failed: migration " + migration + ", line " + line + " (" + phase + "):\n  "
                + sql.replace("\n", "\n  ") + "\nPostgreSQL: " + serverMessage
                + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")")
                + (retriesExhausted ? "\ngave up after " + attempts + (attempts == 1 ? " attempt" : " attempts") : ""), cause);
        this.phase = phase;
        this.migration = migration;
        this.line = line;
        this.sql = sql;
        this.sqlState = sqlState;
        this.serverMessage = serverMessage;
        this.attempts = attempts;
    }

    public Phase phase() {
        return phase;
    }

    public String migration() {
        return migration;
    }

    public int line() {
        return line;
    }

    public String sql() {
        return sql;
    }

    public String sqlState() {
        return sqlState;
    }

    public String serverMessage() {
        return serverMessage;
    }

    /** Attempts made in this run. */
    public int attempts() {
        return attempts;
    }
}
