package dev.tandem.throttle;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * WAL that replication slots hold back on the primary ({@code restart_lsn} to the current write
 * position), inactive slots included: a slot whose consumer is gone keeps every segment the
 * backfill writes until the disk fills. Slots already invalidated ({@code restart_lsn} NULL,
 * {@code wal_status} lost) hold nothing and are left out. {@code pg_replication_slots} is
 * readable by every role.
 */
public record SlotRetention(long maxBytes, Duration interval) implements Signal {
    public static final String ID = "slot-retention";

    private static final String QUERY = """
            SELECT slot_name, slot_type, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8
              FROM pg_replication_slots WHERE restart_lsn IS NOT NULL ORDER BY 4 DESC""";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Reading read(Connection c, Instant now) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            if (!rs.next()) return new Reading(0, maxBytes, false, "no replication slot");
            String slot = rs.getString(1) + " (" + rs.getString(2) + ", " + (rs.getBoolean(3) ? "active" : "inactive") + ")";
            double retained = Math.max(0, rs.getDouble(4));
            int slots = 1;
            int over = retained > maxBytes ? 1 : 0;
            while (rs.next()) {
                slots++;
                if (rs.getDouble(4) > maxBytes) over++;
            }
            boolean isOver = retained > maxBytes;
            String detail = "slot " + slot + " retains " + Units.bytes(retained) + " of WAL" + (isOver ? " > " : ", limit ")
                    + Units.bytes(maxBytes) + (slots > 1 ? " (" + over + " of " + slots + " slots over)" : "");
            return new Reading(retained, maxBytes, isOver, detail);
        }
    }
}
