package dev.tandem.throttle;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far every standby streaming from the primary is behind, read on the primary from
 * {@code pg_stat_replication}, in replay time and in WAL bytes not yet replayed.
 *
 * <p>{@code replay_lag} alone misleads both ways (verified on PostgreSQL 15 with
 * {@code pg_wal_replay_pause()}): it is only updated when replay advances, so while a standby
 * does not replay and the primary writes nothing more, it stays frozen at its last value however
 * long the stall lasts; and once the standby has caught up it still shows the last measured lag
 * until the next status message ({@code wal_receiver_status_interval}, 10 s) before turning
 * NULL. So the time behind is taken as
 * <ul>
 *   <li>zero when the standby has replayed everything the primary wrote (the stale value is
 *       ignored, and a caught-up standby releases the backfill at once), else</li>
 *   <li>the larger of {@code replay_lag} and how long the standby's {@code replay_lsn} has stood
 *       still while WAL waited for it (measured between this signal's reads).</li>
 * </ul>
 * A sender that is not {@code streaming} ({@code startup}, {@code catchup}, {@code stopping})
 * counts as lagging. A base backup's sender ({@code backup}) and WAL receivers that never replay
 * ({@code pg_receivewal}, the WAL stream of {@code pg_basebackup}: {@code replay_lsn} NULL, write
 * position reported) are not standbys and are left out.
 */
public final class ReplicationLag implements Signal {
    public static final String ID = "replication-lag";

    private static final String QUERY = """
            SELECT pid, coalesce(nullif(application_name, ''), 'pid ' || pid) AS name, host(client_addr), state,
                   extract(epoch FROM replay_lag)::float8,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8,
                   replay_lsn::text, write_lsn IS NOT NULL
              FROM pg_stat_replication""";

    private final double maxSeconds;
    private final long maxBytes;
    private final Duration interval;
    /** Per walsender pid: the replay position it was last seen behind at, and since when. */
    private final Map<Integer, Stall> stalls = new HashMap<>();

    private record Stall(String lsn, Instant since) {}

    public ReplicationLag(Duration maxLag, long maxBytes, Duration interval) {
        this.maxSeconds = maxLag.toNanos() / 1e9;
        this.maxBytes = maxBytes;
        this.interval = interval;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public boolean needsStatsPrivilege() {
        return true;
    }

    @Override
    public Reading read(Connection c, Instant now) throws SQLException {
        Standby worst = null;
        int standbys = 0;
        int over = 0;
        Set<Integer> seen = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            while (rs.next()) {
                int pid = rs.getInt(1);
                String state = rs.getString(4);
                String name = rs.getString(2) + (rs.getString(3) == null ? "" : " (" + rs.getString(3) + ")");
                double replayLag = rs.getDouble(5); // 0 when NULL: nothing measured yet, or caught up
                double behindBytes = rs.getObject(6) == null ? Double.NaN : Math.max(0, rs.getDouble(6));
                String lsn = rs.getString(7);
                boolean reported = rs.getBoolean(8);
                if ("backup".equals(state)) continue;
                if ("streaming".equals(state) && reported && lsn == null) continue;
                seen.add(pid);
                standbys++;
                Standby s = standby(pid, name, state, reported, replayLag, behindBytes, lsn, now);
                if (s.over) over++;
                if (worst == null || s.ratio > worst.ratio) worst = s;
            }
        }
        stalls.keySet().retainAll(seen);
        if (worst == null) return new Reading(0, maxSeconds, false, "no standby streams from this server");
        String detail = worst.detail + (standbys > 1 ? " (" + over + " of " + standbys + " standbys over their limits)" : "");
        return new Reading(worst.value, worst.limit, worst.over, detail);
    }

    private record Standby(double ratio, double value, double limit, boolean over, String detail) {}

    private Standby standby(int pid, String name, String state, boolean reported, double replayLag, double behind,
            String lsn, Instant now) {
        if (!"streaming".equals(state) || !reported) {
            stalls.remove(pid);
            String why = reported ? "is in state " + state + ", not streaming" : "has not reported a replay position yet";
            return new Standby(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, maxSeconds, true,
                    "standby " + name + " " + why);
        }
        double seconds;
        double stalledFor = 0;
        if (behind <= 0) {
            stalls.remove(pid);
            seconds = 0;
        } else {
            Stall stall = stalls.get(pid);
            if (stall == null || !stall.lsn.equals(lsn)) {
                stalls.put(pid, new Stall(lsn, now));
            } else {
                stalledFor = Math.max(0, Duration.between(stall.since, now).toNanos() / 1e9);
            }
            seconds = Math.max(replayLag, stalledFor);
        }
        double timeRatio = seconds / maxSeconds;
        double byteRatio = behind / maxBytes;
        boolean over = seconds > maxSeconds || behind > maxBytes;
        String lag = "replay lag " + Units.seconds(seconds) + ", " + Units.bytes(behind) + " of WAL behind";
        if (stalledFor > 0 && stalledFor >= replayLag) lag += " (replay at " + lsn + " for " + Units.seconds(stalledFor) + ")";
        String detail;
        if (timeRatio >= byteRatio) {
            detail = "standby " + name + " " + lag + (over ? " > " : ", limit ") + Units.seconds(maxSeconds);
            return new Standby(timeRatio, seconds, maxSeconds, over, detail);
        }
        detail = "standby " + name + " " + lag + (over ? " > " : ", limit ") + Units.bytes(maxBytes);
        return new Standby(byteRatio, behind, maxBytes, over, detail);
    }
}
