package dev.tandem.throttle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * A vacuum working on the backfilled table ({@code pg_stat_progress_vacuum}), its TOAST table or,
 * for a partitioned table, any partition. The backfill's row-exclusive locks do not conflict with
 * a vacuum's share-update-exclusive lock, so both would run at once, competing for I/O while the
 * vacuum cleans up what the backfill keeps dirtying.
 *
 * <p>An anti-wraparound autovacuum ({@code "autovacuum: VACUUM … (to prevent wraparound)"} in
 * {@code pg_stat_activity.query}) always pauses the backfill: it must finish, and every xid the
 * backfill burns brings wraparound nearer. An ordinary one (autovacuum or a manual VACUUM) pauses
 * it unless {@code pauseForVacuum} is off. PostgreSQL hides another role's {@code relid} from the
 * progress view without {@code pg_read_all_stats}, hence {@link #needsStatsPrivilege()}.
 */
public record AutovacuumOnTable(long tableOid, String table, boolean pauseForVacuum, Duration interval) implements Signal {
    public static final String ID = "autovacuum";

    private static final String QUERY = """
            WITH tables AS (  -- pg_partition_tree is empty for a table that is not partitioned
                SELECT ?::oid AS relid
                UNION
                SELECT relid FROM pg_partition_tree(?::oid::regclass)),
            rels AS (
                SELECT relid FROM tables
                UNION ALL
                SELECT c.reltoastrelid FROM pg_class c JOIN tables t ON c.oid = t.relid WHERE c.reltoastrelid <> 0)
            SELECT p.pid, p.relid::regclass::text, p.phase, a.backend_type, a.query
              FROM pg_stat_progress_vacuum p LEFT JOIN pg_stat_activity a ON a.pid = p.pid
             WHERE p.relid IN (SELECT relid FROM rels)""";

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
        String seen = null;
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setLong(1, tableOid);
            ps.setLong(2, tableOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean auto = "autovacuum worker".equals(rs.getString(4));
                    boolean wraparound = auto && antiWraparound(rs.getString(5));
                    String what = (wraparound ? "anti-wraparound autovacuum" : auto ? "autovacuum" : "VACUUM")
                            + " (pid " + rs.getInt(1) + ") on " + rs.getString(2) + ", phase " + rs.getString(3);
                    if (wraparound) return new Reading(1, 0, true, what + ": always waited for");
                    if (pauseForVacuum) return new Reading(1, 0, true, what);
                    seen = what + " (ordinary: not waited for)";
                }
            }
        }
        return new Reading(0, 0, false, seen == null ? "no vacuum on " + table : seen);
    }

    /** Autovacuum names the reason in its activity text, as it has since PostgreSQL 9.x. */
    static boolean antiWraparound(String activity) {
        return activity != null && activity.startsWith("autovacuum:") && activity.endsWith("(to prevent wraparound)");
    }
}
