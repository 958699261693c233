package dev.tandem.throttle;

import dev.tandem.exec.ConnectionFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A throttle's own session: autocommit (no read ever holds a snapshot, so the throttle itself is
 * never a long transaction), read only (a user check cannot write), named {@code tandem throttle}
 * in {@code pg_stat_activity}, with {@code statement_timeout} and {@code lock_timeout} so that a
 * read that hangs on the server ends, and a network timeout so that a read whose server went away
 * ends too. Opened when first needed; dropped after a failure that broke it, and opened again by the
 * next read.
 */
final class MonitoringConnection implements AutoCloseable {
    static final String APPLICATION_NAME = "tandem throttle";

    private final ConnectionFactory factory;
    private final Duration timeout;
    private Connection c;

    MonitoringConnection(ConnectionFactory factory, Duration timeout) {
        this.factory = factory;
        this.timeout = timeout;
    }

    Connection get() throws SQLException {
        if (c == null) c = open();
        return c;
    }

    /** After a read failed: forget the session if the failure broke it (the next read opens another). */
    void failed(SQLException e) {
        if (c == null) return;
        String state = e.getSQLState();
        boolean broken;
        if (state != null && state.startsWith("08")) {
            broken = true;
        } else {
            try {
                broken = !c.isValid((int) Math.max(1, timeout.toSeconds()));
            } catch (SQLException invalid) {
                broken = true;
            }
        }
        if (broken) close();
    }

    private Connection open() throws SQLException {
        Connection opened = factory.connect();
        try {
            opened.setAutoCommit(true);
            long ms = Math.max(1, timeout.toMillis());
            try (Statement st = opened.createStatement()) {
                st.execute("SET application_name = '" + APPLICATION_NAME + "'");
                st.execute("SET statement_timeout = " + ms);
                st.execute("SET lock_timeout = " + ms);
                st.execute("SET default_transaction_read_only = on");
            }
            // the server cancels a statement at statement_timeout; this ends a read whose server
            // (or network) stopped answering at all, leaving the server time to cancel first
            opened.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, 2 * ms + 1000));
            return opened;
        } catch (SQLException | RuntimeException e) {
            try {
                opened.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // a broken session: nothing left to release
        } finally {
            c = null;
        }
    }
}
