package dev.tandem.exec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One runner per database: a session-level advisory lock on a connection of its own, held for the
 * whole run and released when the run ends or its session dies (a killed Job pod frees it with its
 * connection). Session level, not transaction level, because the run commits many transactions.
 *
 * <p>Verified on PostgreSQL 15.20: {@code lock_timeout} bounds a wait in {@code pg_advisory_lock}
 * (SQLSTATE 55P03), and a bigint key shows in {@code pg_locks} as {@code classid} (high 32 bits),
 * {@code objid} (low 32 bits), {@code objsubid = 1}, in the lock's database.
 */
public final class RunLock implements AutoCloseable {
    /** The lock key: the first 8 bytes of SHA-256("tandem"), the same for every Tandem version. */
    public static final long KEY = key("tandem");

    static final String APPLICATION_NAME = "tandem migrate (run lock)";

    private final Connection c;
    private final Duration waited;
    private final Integer waitedFor;

    private RunLock(Connection c, Duration waited, Integer waitedFor) {
        this.c = c;
        this.waited = waited;
        this.waitedFor = waitedFor;
    }

    /**
     * Takes the lock on a new connection from {@code factory}: tries once, or with {@code wait}
     * queues for it up to {@code waitLimit} ({@link Duration#ZERO}: no limit).
     *
     * @throws RunLockHeldException when another session holds it (after the wait, if any)
     */
    public static RunLock acquire(ConnectionFactory factory, boolean wait, Duration waitLimit, Clock clock)
            throws SQLException {
        Connection c = factory.connect();
        try {
            c.setAutoCommit(true);
            c.setClientInfo("ApplicationName", APPLICATION_NAME);
            if (tryLock(c)) return new RunLock(c, Duration.ZERO, null);
            Holder holder = holder(c);
            if (!wait) throw held(holder, null);
            Instant start = clock.instant();
            try (Statement st = c.createStatement()) {
                st.execute("SET lock_timeout = '" + waitLimit.toMillis() + "ms'");
                st.execute("SELECT pg_advisory_lock(" + KEY + ")");
                st.execute("RESET lock_timeout");
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState())) throw e;
                Holder now = holder(c);
                throw held(now != null ? now : holder, waitLimit);
            }
            return new RunLock(c, Duration.between(start, clock.instant()), holder == null ? null : holder.pid());
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** How long the run waited for another run to finish ({@link Duration#ZERO} when it did not). */
    public Duration waited() {
        return waited;
    }

    /** The pid of the run it waited for, or {@code null}. */
    public Integer waitedFor() {
        return waitedFor;
    }

    /** Releases the lock and closes its connection. */
    @Override
    public void close() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        } finally {
            c.close();
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    record Holder(int pid, Instant since, String applicationName, String clientAddr) {}

    /**
     * The session holding the lock, or {@code null} when it let go meanwhile. {@code since} is its
     * session's start: Tandem takes the lock right after connecting, on a connection used for
     * nothing else, so that is when the lock was taken (pg_locks keeps no grant time).
     */
    static Holder holder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT l.pid, a.backend_start, a.application_name, host(a.client_addr)
                FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND ((l.classid::bigint << 32) | l.objid::bigint) = ?
                  AND l.pid <> pg_backend_pid()""")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                OffsetDateTime since = rs.getObject(2, OffsetDateTime.class);
                return new Holder(rs.getInt(1), since == null ? null : since.toInstant(), rs.getString(3), rs.getString(4));
            }
        }
    }

    private static RunLockHeldException held(Holder h, Duration waited) {
        String who = h == null ? "another migrate run holds the lock (it let go while we looked: try again)"
                : "another migrate run holds the lock (pid " + h.pid() + ", since " + h.since()
                        + (h.applicationName() == null || h.applicationName().isEmpty() ? "" : ", " + h.applicationName())
                        + (h.clientAddr() == null ? "" : ", from " + h.clientAddr()) + ")";
        String after = waited == null ? ": wait for it to finish, or run with --wait"
                : waited.isZero() ? "" : " and did not release it within " + waited.toMillis() + " ms";
        return new RunLockHeldException(who + after, h == null ? null : h.pid(), h == null ? null : h.since());
    }

    static long key(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
