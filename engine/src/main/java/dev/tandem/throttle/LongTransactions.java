package dev.tandem.throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The oldest transaction and the oldest xmin horizon holder that matter to the backfilled table:
 * while one is older than its limit, VACUUM cannot remove the dead row versions that each batch
 * leaves, so the backfill only adds bloat and is better paused.
 *
 * <p>Counted, as PostgreSQL computes the horizon for an ordinary table: sessions of this database
 * (the age of their transaction, and of their snapshot's {@code backend_xmin} or their own
 * {@code backend_xid}), sessions of no database (a walsender carrying a standby's
 * {@code hot_standby_feedback}), prepared transactions of this database, and replication slots'
 * {@code xmin}. Not counted: other databases' sessions (they do not hold this table's horizon
 * back), autovacuum workers (a vacuum does not hold the horizon back, PROC_IN_VACUUM), the backfill's
 * own backend and this monitoring session.
 */
public record LongTransactions(int backfillPid, Duration maxAge, long maxXminAge, Duration interval) implements Signal {
    public static final String ID = "long-transactions";

    private static final String QUERY = """
            SELECT who, seconds, xids FROM (
              SELECT 'pid ' || pid || ' (' || coalesce(nullif(application_name, ''), backend_type) || ', '
                       || coalesce(state, 'no state') || ')' AS who,
                     extract(epoch FROM clock_timestamp() - xact_start)::float8 AS seconds,
                     greatest(age(backend_xid), age(backend_xmin))::float8 AS xids
                FROM pg_stat_activity
               WHERE pid <> pg_backend_pid() AND pid <> ?
                 AND backend_type <> 'autovacuum worker'
                 AND (datname = current_database() OR datid IS NULL OR datid = 0)
                 AND (xact_start IS NOT NULL OR backend_xid IS NOT NULL OR backend_xmin IS NOT NULL)
              UNION ALL
              SELECT 'prepared transaction ' || quote_literal(gid),
                     extract(epoch FROM clock_timestamp() - prepared)::float8, age(transaction)::float8
                FROM pg_prepared_xacts WHERE database = current_database()
              UNION ALL
              SELECT 'replication slot ' || slot_name || ' (xmin)', NULL, age(xmin)::float8
                FROM pg_replication_slots WHERE xmin IS NOT NULL
            ) t""";

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
        double maxSeconds = maxAge.toNanos() / 1e9;
        String worstWho = null;
        double worstSeconds = 0;
        double worstXids = 0;
        double worstRatio = -1;
        int over = 0;
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setInt(1, backfillPid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double seconds = Math.max(0, rs.getDouble(2)); // NULL: no start time (slot xmin)
                    double xids = Math.max(0, rs.getDouble(3)); // NULL: no xid and no snapshot
                    double ratio = Math.max(seconds / maxSeconds, xids / maxXminAge);
                    if (seconds > maxSeconds || xids > maxXminAge) over++;
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worstWho = rs.getString(1);
                        worstSeconds = seconds;
                        worstXids = xids;
                    }
                }
            }
        }
        if (worstWho == null) return new Reading(0, maxSeconds, false, "no open transaction");
        String age = "transaction open " + Units.seconds(worstSeconds) + ", xmin age " + Units.count(worstXids) + " xids";
        String more = over > 1 ? " (" + over + " over their limits)" : "";
        if (worstSeconds / maxSeconds >= worstXids / maxXminAge) {
            boolean isOver = worstSeconds > maxSeconds;
            return new Reading(worstSeconds, maxSeconds, isOver, worstWho + ": " + age + (isOver ? " > " : ", limit ")
                    + Units.seconds(maxSeconds) + more);
        }
        boolean isOver = worstXids > maxXminAge;
        return new Reading(worstXids, maxXminAge, isOver, worstWho + ": " + age + (isOver ? " > " : ", limit ")
                + Units.count(maxXminAge) + " xids" + more);
    }
}
