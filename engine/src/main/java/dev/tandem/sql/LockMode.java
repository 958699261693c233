package dev.tandem.sql;

/**
 * PostgreSQL's table-level lock modes, weakest first, named as {@code pg_locks.mode} names them.
 * The order is the order of strength; {@link #conflictsWith} follows the conflict table of the
 * "Explicit Locking" chapter of the PostgreSQL documentation.
 */
public enum LockMode {
    ACCESS_SHARE("AccessShareLock", "ACCESS SHARE"),
    ROW_SHARE("RowShareLock", "ROW SHARE"),
    ROW_EXCLUSIVE("RowExclusiveLock", "ROW EXCLUSIVE"),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE"),
    SHARE("ShareLock", "SHARE"),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE"),
    EXCLUSIVE("ExclusiveLock", "EXCLUSIVE"),
    ACCESS_EXCLUSIVE("AccessExclusiveLock", "ACCESS EXCLUSIVE");

    // Bit i set: conflicts with the mode of ordinal i (PostgreSQL docs, table 13.2).
    private static final int[] CONFLICTS = {
        0b10000000, // ACCESS SHARE
        0b11000000, // ROW SHARE
        0b11110000, // ROW EXCLUSIVE
        0b11111000, // SHARE UPDATE EXCLUSIVE
        0b11101100, // SHARE
        0b11111100, // SHARE ROW EXCLUSIVE
        0b11111110, // EXCLUSIVE
        0b11111111, // ACCESS EXCLUSIVE
    };

    private final String pgName;
    private final String sqlName;

    LockMode(String pgName, String sqlName) {
        this.pgName = pgName;
        this.sqlName = sqlName;
    }

    /** The name {@code pg_locks.mode} uses, e.g. {@code AccessExclusiveLock}. */
    public String pgName() {
        return pgName;
    }

    /** The name {@code LOCK TABLE … IN <mode> MODE} uses, e.g. {@code ACCESS EXCLUSIVE}. */
    public String sqlName() {
        return sqlName;
    }

    public boolean conflictsWith(LockMode other) {
        return (CONFLICTS[ordinal()] & (1 << other.ordinal())) != 0;
    }

    /** Blocks plain SELECTs (only ACCESS EXCLUSIVE does). */
    public boolean blocksReads() {
        return conflictsWith(ACCESS_SHARE);
    }

    /** Blocks INSERT/UPDATE/DELETE (SHARE and stronger). */
    public boolean blocksWrites() {
        return conflictsWith(ROW_EXCLUSIVE);
    }

    public static LockMode stronger(LockMode a, LockMode b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** Parses the SQL spelling used by LOCK TABLE ({@code "share row exclusive"}), case-insensitively. */
    public static LockMode fromSql(String sql) {
        String s = sql.trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
        for (LockMode m : values()) {
            if (m.sqlName.equals(s)) return m;
        }
        throw new IllegalArgumentException("unknown lock mode: " + sql);
    }

    @Override
    public String toString() {
        return pgName;
    }
}
