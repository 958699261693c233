package dev.tandem.throttle;

import dev.tandem.exec.ConnectionFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The backfill's {@link Throttle}: reads each health {@link Signal} on its own schedule and pauses
 * while one is over its limit.
 *
 * <ul>
 *   <li><b>Cheap checks.</b> {@link #check} reads a signal only when its interval has passed since
 *       its last read and otherwise answers from the cached readings: most checks between two
 *       batches touch no database at all.</li>
 *   <li><b>Hysteresis.</b> A signal that paused the backfill holds it until a reading is at or
 *       below {@link ThrottleSettings#hysteresis()} of its limit, and every pause lasts at least
 *       {@link ThrottleSettings#minPause()}, so a value hovering at its limit does not make the
 *       backfill flap.</li>
 *   <li><b>Fail closed.</b> A read that fails is a pause with reason {@code <signal>-unreadable}
 *       and the error, held like an over-limit reading until a read succeeds below the release
 *       level; a failed read is tried again after at most {@link #RETRY_AFTER_FAILURE}.</li>
 *   <li><b>Its own sessions.</b> One monitoring session (see {@link MonitoringConnection}),
 *       opened again when it breaks; plus, for {@link BlockedSessions}, the
 *       {@link BlockedSessionsWatch}'s session, since sessions blocked behind the backfill can
 *       only be seen while a batch runs.</li>
 *   <li><b>Time from the caller.</b> Every decision uses the {@code Instant} given to
 *       {@code check}; the throttle never reads the wall clock.</li>
 * </ul>
 *
 * <p>Not thread-safe: one backfill loop calls it.
 */
public final class HealthThrottle implements Throttle {
    /** A signal whose read failed is read again this soon (or at its interval, if shorter). */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final ThrottleSettings settings;
    private final MonitoringConnection monitor;
    private final BlockedSessionsWatch watch;
    private final List<Slot> slots;
    private Instant pausedSince; // null while the backfill may go
    private List<Verdict.Reason> pauseReasons = List.of();

    /** Opens a throttle per backfill step, with these settings. */
    public static Factory factory(ThrottleSettings settings) {
        return new Factory(settings);
    }

    /**
     * The {@link ThrottleFactory} of health throttles with {@code settings}: a value (equal
     * settings, equal factories), so a backfill can tell whether an operator's
     * {@code migrate backfill set} changed its throttle, and can read the settings in force.
     */
    public record Factory(ThrottleSettings settings) implements ThrottleFactory {
        public Factory {
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public Throttle open(ConnectionFactory connections, String table, int backfillPid) throws SQLException {
            return HealthThrottle.open(connections, table, backfillPid, settings, true);
        }

        /** Names: {@code max-lag}, {@code max-slot-retention}, {@code sql-check}, … ({@link #settingNames()}). */
        @Override
        public Factory with(Map<String, String> overrides) {
            return new Factory(ThrottleOverrides.apply(settings, overrides));
        }

        @Override
        public Set<String> settingNames() {
            return ThrottleOverrides.NAMES;
        }

        /** The signals that read other sessions' statistics always run: the role must see them. */
        @Override
        public void checkPrivileges(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(SEES_STATS); ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) throw blind(STATS_SIGNALS, rs.getString(2));
            }
        }
    }

    /** Whether the role sees other sessions' statistics, and its name as SQL. */
    private static final String SEES_STATS = "SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'), "
            + "quote_ident(current_user)";

    /** The ids of the signals that need pg_read_all_stats (those whose {@link Signal#needsStatsPrivilege()} says so). */
    static final List<String> STATS_SIGNALS = List.of(ReplicationLag.ID, BlockedSessions.ID, LongTransactions.ID,
            AutovacuumOnTable.ID);

    private static SQLException blind(List<String> signals, String role) {
        return new SQLException("the backfill throttle cannot read " + String.join(", ", signals) + ": role "
                + role + " does not have the privileges of pg_read_all_stats, so PostgreSQL hides other "
                + "sessions' statistics from it (GRANT pg_monitor TO " + role
                + ", or run migrate apply with --no-throttle)", "42501");
    }

    /**
     * @param watchInBackground sample blocked sessions on a watch thread (what a backfill needs);
     *                          {@code false} reads them in {@code check} like every other signal,
     *                          which tests use to drive everything from one thread
     * @throws SQLException when the monitoring session cannot be opened, the table does not exist,
     *                      or the role cannot see other sessions' statistics (the signals would
     *                      read as healthy whatever happens: refused rather than blind)
     */
    static HealthThrottle open(ConnectionFactory connections, String table, int backfillPid, ThrottleSettings s,
            boolean watchInBackground) throws SQLException {
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(s, "settings");
        MonitoringConnection monitor = new MonitoringConnection(connections, s.readTimeout());
        BlockedSessionsWatch watch = null;
        List<Signal> signals = new ArrayList<>();
        try {
            Facts facts = facts(monitor.get(), table);
            BlockedSessions blocked = new BlockedSessions(backfillPid, s.maxBlockedWait(), s.blockedInterval(),
                    facts.serverVersion >= 140000);
            signals.add(new ReplicationLag(s.maxReplayLag(), s.maxReplayLagBytes(), s.lagInterval()));
            signals.add(new SlotRetention(s.maxSlotRetentionBytes(), s.slotInterval()));
            signals.add(blocked);
            signals.add(new LongTransactions(backfillPid, s.maxTransactionAge(), s.maxXminAge(), s.transactionInterval()));
            signals.add(new AutovacuumOnTable(facts.tableOid, table, s.pauseForVacuum(), s.vacuumInterval()));
            if (s.sqlCheck() != null) signals.add(new SqlCheck(s.sqlCheck(), s.userCheckInterval()));
            if (s.httpCheck() != null) signals.add(new HttpCheck(s.httpCheck(), s.httpCheckTimeout(), s.userCheckInterval()));
            if (!facts.seesStats) {
                throw blind(signals.stream().filter(Signal::needsStatsPrivilege).map(Signal::id).toList(), facts.role);
            }
            if (watchInBackground) {
                watch = new BlockedSessionsWatch(blocked, connections, s.readTimeout());
                watch.start();
            }
            return new HealthThrottle(s, monitor, watch, signals);
        } catch (SQLException | RuntimeException e) {
            signals.forEach(Signal::close);
            if (watch != null) watch.close();
            monitor.close();
            throw e;
        }
    }

    private record Facts(long tableOid, int serverVersion, boolean seesStats, String role) {}

    private static Facts facts(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ?::regclass::oid, current_setting('server_version_num')::int, "
                + "pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'), quote_ident(current_user)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Facts(rs.getLong(1), rs.getInt(2), rs.getBoolean(3), rs.getString(4));
            }
        }
    }

    private HealthThrottle(ThrottleSettings settings, MonitoringConnection monitor, BlockedSessionsWatch watch,
            List<Signal> signals) {
        this.settings = settings;
        this.monitor = monitor;
        this.watch = watch;
        this.slots = signals.stream().map(Slot::new).toList();
    }

    /** The signals read, in the order their reasons are listed. */
    List<Signal> signals() {
        return slots.stream().map(s -> s.signal).toList();
    }

    @Override
    public Verdict check(Instant now) {
        try {
            return decide(Objects.requireNonNull(now, "now"));
        } catch (RuntimeException e) {
            // never thrown at the backfill; and never a reason to go on
            return new Verdict.Pause(List.of(new Verdict.Reason("throttle-unreadable", String.valueOf(e))));
        }
    }

    private Verdict decide(Instant now) {
        List<Verdict.Reason> reasons = new ArrayList<>();
        Session session = new Session();
        for (Slot slot : slots) {
            if (slot.due(now)) read(slot, now, session);
            Verdict.Reason r = slot.judge(settings.hysteresis());
            if (r != null) reasons.add(r);
        }
        if (!reasons.isEmpty()) {
            if (pausedSince == null) pausedSince = now;
            pauseReasons = reasons;
            return new Verdict.Pause(reasons);
        }
        if (pausedSince != null) {
            Instant until = pausedSince.plus(settings.minPause());
            if (now.isBefore(until)) {
                String wait = "back under its limit; minimum pause of " + Units.duration(settings.minPause())
                        + " until " + until;
                return new Verdict.Pause(pauseReasons.stream()
                        .map(r -> new Verdict.Reason(r.signal(), r.detail() + " (" + wait + ")"))
                        .toList());
            }
            pausedSince = null;
            pauseReasons = List.of();
        }
        return Verdict.GO;
    }

    /**
     * The monitoring session for the reads of one check: opened at most once per check, so that a
     * server that refuses connections costs one connection attempt per check, not one per signal.
     */
    private final class Session {
        private SQLException refused;

        Connection get() throws SQLException {
            if (refused != null) throw refused;
            try {
                return monitor.get();
            } catch (SQLException e) {
                refused = new SQLException("cannot open the monitoring session: " + describe(e), e.getSQLState(), e);
                throw refused;
            }
        }
    }

    private void read(Slot slot, Instant now, Session session) {
        Signal signal = slot.signal;
        boolean watched = signal instanceof BlockedSessions && watch != null;
        try {
            Reading r = watched ? watch.take() : signal.read(signal.readsDatabase() ? session.get() : null, now);
            slot.reading = r;
            slot.failure = null;
            slot.nextRead = now.plus(signal.interval());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (e instanceof SQLException sql && signal.readsDatabase() && !watched) monitor.failed(sql);
            slot.failure = describe(e);
            Duration retry = signal.interval().compareTo(RETRY_AFTER_FAILURE) < 0 ? signal.interval() : RETRY_AFTER_FAILURE;
            slot.nextRead = now.plus(retry);
        }
    }

    /** The error as a person needs it: PostgreSQL's message and SQLSTATE, or the I/O failure. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.lines().findFirst().orElse(message).strip();
        if (e instanceof SQLException sql && sql.getSQLState() != null && !message.contains(sql.getSQLState())) {
            message += " (SQLSTATE " + sql.getSQLState() + ")";
        }
        return message;
    }

    @Override
    public void close() {
        for (Slot slot : slots) {
            try {
                slot.signal.close();
            } catch (RuntimeException ignored) {
                // closing a check's HTTP client: nothing the backfill can do about it
            }
        }
        if (watch != null) watch.close();
        monitor.close();
    }

    /** One signal's schedule, latest reading and whether it holds the backfill. */
    private static final class Slot {
        final Signal signal;
        Instant nextRead; // null: read at the next check
        Reading reading;
        String failure;
        boolean holding;

        Slot(Signal signal) {
            this.signal = signal;
        }

        boolean due(Instant now) {
            return nextRead == null || !now.isBefore(nextRead);
        }

        /** The reason this signal pauses the backfill now, or null. */
        Verdict.Reason judge(double hysteresis) {
            if (failure != null) {
                holding = true;
                return new Verdict.Reason(signal.id() + "-unreadable", failure);
            }
            if (reading == null) return null;
            if (reading.over()) {
                holding = true;
                return new Verdict.Reason(signal.id(), reading.detail());
            }
            if (holding && !reading.clear(hysteresis)) {
                return new Verdict.Reason(signal.id(), reading.detail() + " (holding until at or below "
                        + Math.round(hysteresis * 100) + "% of the limit)");
            }
            holding = false;
            return null;
        }
    }
}
