package dev.tandem.throttle;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The operator's own query: the backfill pauses while it returns a row whose first column is true
 * or a non-zero number ({@code SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND
 * … > 50}), and while it fails (a timeout included: fail closed). No row, false, zero or NULL
 * let it go. Text is read as PostgreSQL reads a boolean ({@code t}, {@code yes}, {@code on},
 * {@code 1}, …); any other value is an error, so a typo cannot silently mean "healthy".
 * It runs on the monitoring session under {@code statement_timeout}, alone in a transaction that is
 * read only before it starts and rolled back after: a check cannot write (one statement only: a
 * second could end the transaction).
 */
public record SqlCheck(String query, Duration interval) implements Signal {
    public static final String ID = "sql-check";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Reading read(Connection c, Instant now) throws SQLException {
        // in a transaction that is read only before the check runs: the session's
        // default_transaction_read_only alone could be switched off by the check itself, and
        // SET TRANSACTION READ WRITE is refused once a query ran in the transaction
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SELECT 1");
            st.setMaxRows(1);
            if (!st.execute(query)) throw new SQLException("the SQL check returned no result set: " + query);
            try (ResultSet rs = st.getResultSet()) {
                if (!rs.next()) return new Reading(0, 0, false, "the SQL check returned no row");
                Object first = rs.getObject(1);
                boolean pause = truth(first);
                return new Reading(pause ? 1 : 0, 0, pause, "the SQL check returned " + first
                        + (pause ? " (pause)" : " (go)"));
            }
        } finally {
            try {
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static boolean truth(Object value) throws SQLException {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case BigDecimal d -> d.signum() != 0;
            case Number n -> n.doubleValue() != 0;
            case String s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "t", "true", "y", "yes", "on", "1" -> true;
                case "f", "false", "n", "no", "off", "0" -> false;
                default -> throw new SQLException("the SQL check's first column is '" + s
                        + "', neither a boolean nor a number");
            };
            default -> throw new SQLException("the SQL check's first column is a " + value.getClass().getSimpleName()
                    + " (" + value + "), neither a boolean nor a number");
        };
    }
}
