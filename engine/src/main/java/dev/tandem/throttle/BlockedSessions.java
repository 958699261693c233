package dev.tandem.throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Sessions waiting for a lock that the backfill's backend holds (or is queued ahead of them for),
 * and how long the longest of them has waited.
 *
 * <p>{@code pg_blocking_pids()} takes every partition lock of the lock manager while it runs, as
 * reading {@code pg_locks} does, so it is asked only about sessions that
 * {@code pg_stat_activity} (no lock-manager lock) shows waiting for a heavyweight lock: when no one
 * waits, a read touches the lock manager not at all. How long a session has waited is
 * {@code pg_locks.waitstart} (PostgreSQL 14+); on 12 and 13, which lack it, the start of its
 * statement stands in, which can only overstate the wait (so it pauses early, never late).
 *
 * <p>A backfill holds its locks only inside a batch, so a read between two batches finds no one
 * behind it: {@link HealthThrottle} reads this signal on a watch thread of its own that samples
 * while batches run, and keeps the worst wait it saw.
 */
public record BlockedSessions(int backfillPid, Duration maxWait, Duration interval, boolean hasWaitStart)
        implements Signal {
    public static final String ID = "blocked-sessions";

    // MATERIALIZED: pg_blocking_pids must run on the waiting sessions only, never on every backend
    private static final String QUERY = """
            WITH waiting AS MATERIALIZED (
                SELECT pid, application_name, query_start FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid())
            SELECT w.pid, coalesce(nullif(w.application_name, ''), '-'),
                   extract(epoch FROM clock_timestamp() - %s)::float8 AS waited
              FROM waiting w
             WHERE ? = ANY (pg_blocking_pids(w.pid))
             ORDER BY waited DESC""";
    private static final String WAIT_START = "coalesce((SELECT min(l.waitstart) FROM pg_locks l "
            + "WHERE l.pid = w.pid AND NOT l.granted), clock_timestamp())";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean needsStatsPrivilege() {
        return true;
    }

    @Override
    public Reading read(Connection c, Instant now) throws SQLException {
        return read(c);
    }

    /** The waits now (server time; the caller's clock plays no part). */
    Reading read(Connection c) throws SQLException {
        double limit = maxWait.toNanos() / 1e9;
        String sql = QUERY.formatted(hasWaitStart ? WAIT_START : "w.query_start");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, backfillPid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return new Reading(0, limit, false, "no session waits for the backfill (pid " + backfillPid + ")");
                int pid = rs.getInt(1);
                String app = rs.getString(2);
                double waited = Math.max(0, rs.getDouble(3));
                int sessions = 1;
                while (rs.next()) sessions++;
                boolean over = waited > limit;
                String detail = "pid " + pid + " (" + app + ") waited " + Units.seconds(waited) + " for a lock of the backfill (pid "
                        + backfillPid + ")" + (over ? " > " : ", limit ") + Units.seconds(limit)
                        + (sessions > 1 ? "; " + sessions + " sessions waiting" : "");
                return new Reading(waited, limit, over, detail);
            }
        }
    }
}
