package dev.tandem.throttle;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/**
 * One health signal of the database that a {@link HealthThrottle} watches. A signal reads on the
 * throttle's monitoring connection (autocommit, read only, short {@code statement_timeout}) and
 * never keeps it in a transaction.
 */
public sealed interface Signal extends AutoCloseable
        permits ReplicationLag, SlotRetention, BlockedSessions, LongTransactions, AutovacuumOnTable, SqlCheck, HttpCheck {

    /** Stable kebab-case id: the {@link Verdict.Reason#signal()} of a pause, a metric tag. */
    String id();

    /** How often the throttle reads it; between reads it answers from the last reading. */
    Duration interval();

    /**
     * Reads the signal now.
     *
     * @param c   the monitoring connection; {@code null} for a signal that does not
     *            {@link #readsDatabase() read the database}
     * @param now the time of the throttle's check (signals that track how long something lasts
     *            measure it with this, not with the wall clock)
     * @throws Exception when the signal cannot be read: the throttle then pauses (fails closed)
     */
    Reading read(Connection c, Instant now) throws Exception;

    /** Whether {@link #read} needs the monitoring connection. */
    default boolean readsDatabase() {
        return true;
    }

    /**
     * Whether the signal reads other sessions' rows of the statistics views, which PostgreSQL shows
     * with their columns NULL to a role without {@code pg_read_all_stats}: read blind, such a signal
     * would always look healthy.
     */
    default boolean needsStatsPrivilege() {
        return false;
    }

    @Override
    default void close() {}
}
