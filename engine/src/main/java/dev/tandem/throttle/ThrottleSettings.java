package dev.tandem.throttle;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The limits of a {@link HealthThrottle} and how often it reads each signal. Validated when built,
 * so a bad value fails before a backfill starts; every {@code with…} returns a validated copy.
 *
 * @param maxReplayLag            a standby may be this far behind in replay time (worst of
 *                                {@code pg_stat_replication.replay_lag} and how long its replay
 *                                position has not moved while WAL waits for it)
 * @param maxReplayLagBytes       … and this far in WAL bytes not yet replayed
 * @param maxSlotRetentionBytes   WAL that any replication slot may hold back, inactive slots
 *                                included (an abandoned slot fills the primary's disk)
 * @param maxBlockedWait          no session may wait longer than this for a lock the backfill's
 *                                backend holds
 * @param maxTransactionAge       no transaction in the target database may be open longer than
 *                                this: while a snapshot that old exists, VACUUM cannot remove the
 *                                dead row versions that every batch leaves behind
 * @param maxXminAge              … and none may hold the xmin horizon back more than this many
 *                                transaction ids (also counts prepared transactions and replication
 *                                slots' xmin, which have no start time)
 * @param pauseForVacuum          pause while an ordinary (auto)vacuum works on the table, as GitLab
 *                                does since 18.0; an anti-wraparound autovacuum always pauses
 * @param sqlCheck                a query of the operator's: pause while it returns a row whose first
 *                                column is true or non-zero, or while it fails; {@code null}: none
 * @param httpCheck               a URL of the operator's: pause unless a GET answers 2xx within
 *                                {@code httpCheckTimeout}; {@code null}: none
 * @param httpCheckTimeout        how long the HTTP check may take, connection included
 * @param readTimeout             {@code statement_timeout} of the monitoring sessions, so that a
 *                                read that hangs (a lock, a slow user check) cannot hang the backfill
 * @param lagInterval             how often replication lag is read
 * @param slotInterval            … slot retention
 * @param blockedInterval         … sessions blocked behind the backfill ({@code pg_blocking_pids}
 *                                takes the lock manager's partition locks: sparingly)
 * @param transactionInterval     … long transactions and the xmin horizon
 * @param vacuumInterval          … vacuum on the table
 * @param userCheckInterval       … the SQL and HTTP checks
 * @param hysteresis              a signal that paused the backfill releases it only once its value
 *                                is at or below this fraction of its limit, in (0, 1]
 * @param minPause                a pause lasts at least this long, so that the backfill does not
 *                                flap on a value that hovers at its limit
 */
public record ThrottleSettings(
        Duration maxReplayLag,
        long maxReplayLagBytes,
        long maxSlotRetentionBytes,
        Duration maxBlockedWait,
        Duration maxTransactionAge,
        long maxXminAge,
        boolean pauseForVacuum,
        String sqlCheck,
        URI httpCheck,
        Duration httpCheckTimeout,
        Duration readTimeout,
        Duration lagInterval,
        Duration slotInterval,
        Duration blockedInterval,
        Duration transactionInterval,
        Duration vacuumInterval,
        Duration userCheckInterval,
        double hysteresis,
        Duration minPause) {

    static final long MB = 1024L * 1024;
    static final long GB = 1024L * MB;

    /*
     * Why these defaults:
     * - replay lag 2 s / 256 MB: a read-your-writes application on a standby notices seconds, not
     *   milliseconds (gh-ost 1.5 s, pt-osc 1 s); 256 MB is what a standby replays in a few seconds.
     * - slot retention 10 GB: far above what a healthy consumer retains, far below a full disk.
     * - blocked 1 s: batches aim at 200 ms under lock_timeout; a session that waited five times
     *   that long behind one is felt by a user.
     * - transaction age 10 min: at thousands of rows per second a backfill leaves millions of dead
     *   versions that no VACUUM can remove while an older snapshot lives, so the table and its
     *   indexes only grow; pausing stops adding to that. Shorter limits would stop the backfill
     *   for every report query; 10 min is past almost every legitimate OLTP or report transaction.
     * - xmin age 10,000,000: holders without a start time (prepared transactions, slot xmin of a
     *   standby with hot_standby_feedback) are measured in xids; 10 M is 5% of
     *   autovacuum_freeze_max_age (200 M), so a stuck horizon is caught long before it forces
     *   anti-wraparound vacuums, and at a busy 1,000 writes/s it is under 3 hours.
     */
    public static final ThrottleSettings DEFAULTS = new ThrottleSettings(
            Duration.ofSeconds(2), 256 * MB, 10 * GB, Duration.ofSeconds(1), Duration.ofMinutes(10), 10_000_000L,
            true, null, null, Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), 0.8, Duration.ofSeconds(1));

    public ThrottleSettings {
        positive(maxReplayLag, "maxReplayLag");
        positive(maxReplayLagBytes, "maxReplayLagBytes");
        positive(maxSlotRetentionBytes, "maxSlotRetentionBytes");
        positive(maxBlockedWait, "maxBlockedWait");
        positive(maxTransactionAge, "maxTransactionAge");
        positive(maxXminAge, "maxXminAge");
        if (sqlCheck != null && sqlCheck.isBlank()) {
            throw new IllegalArgumentException("sqlCheck must be a query, not blank (null: no SQL check)");
        }
        if (sqlCheck != null && dev.tandem.sql.SqlSplitter.split(sqlCheck).size() != 1) {
            // one statement: it runs in a read-only transaction, which a second one could end
            throw new IllegalArgumentException("the SQL check must be one query, not several statements: '" + sqlCheck + "'");
        }
        if (httpCheck != null) checkUrl(httpCheck);
        positive(httpCheckTimeout, "httpCheckTimeout");
        positive(readTimeout, "readTimeout");
        positive(lagInterval, "lagInterval");
        positive(slotInterval, "slotInterval");
        positive(blockedInterval, "blockedInterval");
        positive(transactionInterval, "transactionInterval");
        positive(vacuumInterval, "vacuumInterval");
        positive(userCheckInterval, "userCheckInterval");
        if (!(hysteresis > 0 && hysteresis <= 1)) {
            throw new IllegalArgumentException("hysteresis must be a fraction of the limit in (0, 1], e.g. 0.8, not "
                    + hysteresis);
        }
        Objects.requireNonNull(minPause, "minPause");
        if (minPause.isNegative()) throw new IllegalArgumentException("minPause must not be negative, not " + text(minPause));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, not " + text(d));
        }
    }

    private static void positive(long n, String name) {
        if (n < 1) throw new IllegalArgumentException(name + " must be positive, not " + n);
    }

    private static void checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("httpCheck must be an absolute http or https URL with a host, not '"
                    + url + "'");
        }
    }

    private static String text(Duration d) {
        return Units.duration(d);
    }

    public ThrottleSettings withMaxReplayLag(Duration time, long bytes) {
        return new ThrottleSettings(time, bytes, maxSlotRetentionBytes, maxBlockedWait, maxTransactionAge, maxXminAge,
                pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout, lagInterval, slotInterval,
                blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    public ThrottleSettings withMaxReplayLag(Duration time) {
        return withMaxReplayLag(time, maxReplayLagBytes);
    }

    public ThrottleSettings withMaxSlotRetentionBytes(long bytes) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, bytes, maxBlockedWait, maxTransactionAge, maxXminAge,
                pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout, lagInterval, slotInterval,
                blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    public ThrottleSettings withMaxBlockedWait(Duration wait) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, wait, maxTransactionAge,
                maxXminAge, pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout, lagInterval, slotInterval,
                blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    public ThrottleSettings withMaxTransactionAge(Duration age, long xminAge) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait, age, xminAge,
                pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout, lagInterval, slotInterval,
                blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    public ThrottleSettings withPauseForVacuum(boolean pause) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pause, sqlCheck, httpCheck, httpCheckTimeout, readTimeout, lagInterval,
                slotInterval, blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    /** {@code null} removes the SQL check. */
    public ThrottleSettings withSqlCheck(String query) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pauseForVacuum, query, httpCheck, httpCheckTimeout, readTimeout, lagInterval,
                slotInterval, blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    /** {@code null} removes the HTTP check. */
    public ThrottleSettings withHttpCheck(URI url, Duration timeout) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pauseForVacuum, sqlCheck, url, timeout, readTimeout, lagInterval,
                slotInterval, blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    public ThrottleSettings withReadTimeout(Duration timeout) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, timeout, lagInterval,
                slotInterval, blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, hysteresis, minPause);
    }

    /** The read interval of every signal, in the order of the record's components. */
    public ThrottleSettings withIntervals(Duration lag, Duration slot, Duration blocked, Duration transaction,
            Duration vacuum, Duration userCheck) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout, lag,
                slot, blocked, transaction, vacuum, userCheck, hysteresis, minPause);
    }

    /** Every signal read at most once per {@code interval}. */
    public ThrottleSettings withIntervals(Duration interval) {
        return withIntervals(interval, interval, interval, interval, interval, interval);
    }

    public ThrottleSettings withHysteresis(double fraction) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout,
                lagInterval, slotInterval, blockedInterval, transactionInterval, vacuumInterval, userCheckInterval, fraction,
                minPause);
    }

    public ThrottleSettings withMinPause(Duration pause) {
        return new ThrottleSettings(maxReplayLag, maxReplayLagBytes, maxSlotRetentionBytes, maxBlockedWait,
                maxTransactionAge, maxXminAge, pauseForVacuum, sqlCheck, httpCheck, httpCheckTimeout, readTimeout,
                lagInterval, slotInterval, blockedInterval, transactionInterval, vacuumInterval, userCheckInterval,
                hysteresis, pause);
    }
}
