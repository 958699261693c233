package dev.tandem.throttle;

import dev.tandem.exec.ConnectionFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * Opens the {@link Throttle} of one backfill step: its signals watch {@code table} and the
 * sessions that the backfill's own backend ({@code backfillPid}) blocks.
 */
@FunctionalInterface
public interface ThrottleFactory {
    ThrottleFactory NONE = (connections, table, backfillPid) -> Throttle.NONE;

    /**
     * @param connections opens the throttle's own monitoring connections to the target database
     * @param table       the table being backfilled, as written in the plan (may be schema-qualified)
     * @param backfillPid {@code pg_backend_pid()} of the session that runs the batches
     */
    Throttle open(ConnectionFactory connections, String table, int backfillPid) throws SQLException;

    /**
     * Fails (SQLSTATE 42501, saying what to grant) when the role on {@code c} could not read what
     * this throttle watches: for a run to check before it applies anything, rather than when its
     * backfill opens the throttle after expand. Nothing to check by default.
     */
    default void checkPrivileges(Connection c) throws SQLException {}

    /**
     * This factory with an operator's overrides ({@code migrate backfill set max-lag=5s}), names
     * as in {@link #settingNames()}.
     *
     * @throws IllegalArgumentException for a name it does not know or a value it cannot take, with
     *                                  a message for the operator
     */
    default ThrottleFactory with(Map<String, String> overrides) {
        if (!overrides.isEmpty()) {
            throw new IllegalArgumentException("this throttle has no setting " + String.join(", ", overrides.keySet()));
        }
        return this;
    }

    /** The names {@link #with} takes. */
    default Set<String> settingNames() {
        return Set.of();
    }
}
