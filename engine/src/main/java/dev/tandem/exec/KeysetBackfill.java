package dev.tandem.exec;

import dev.tandem.plan.BackfillStep;
import dev.tandem.state.BackfillControl;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.Sha256;
import dev.tandem.state.EventType;
import dev.tandem.state.StepRecord;
import dev.tandem.throttle.Throttle;
import dev.tandem.throttle.Verdict;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link BackfillStep} as a keyset walk in short, adaptive, throttled batches.
 *
 * <p>The walk is bounded by the highest key when the backfill started, kept in the checkpoint so
 * that a resumed walk has the same bound (rows inserted later are kept right by the recipe's
 * trigger, so the walk always ends). Each batch is one transaction under {@code lock_timeout} and
 * the batch timeout: find the key of the batch's last row ({@code size} rows past the checkpoint
 * that match {@code where}), change the rows in that key range that match {@code where}, and move
 * the checkpoint to that key, all committed together; a killed run resumes exactly after the last
 * committed batch, so no row is changed twice or skipped.
 *
 * <p>A batch is five round trips: the SET LOCAL timeouts, the end key, the change, the
 * checkpoint's move and the commit. The walk carries its position from batch to batch and reads
 * the checkpoint only at the start and after a retried batch; the move checks, in the same
 * statement, that the stored position is the one carried. Round trips are not free beside the
 * application: each wakes the backend and the JVM once more.
 *
 * <p>Between batches, never inside one: the operator's control row (pause, new settings) is read
 * once a second, and the throttle is asked; while either says wait, no batch runs, so a waiting
 * backfill holds no lock and no snapshot. The batch size follows {@link BatchSizer}; a batch that
 * hits its statement timeout is rolled back and split in half.
 *
 * <p>Keys are carried as text ({@code key::text}) and cast back with the column's own type
 * ({@code format_type}), so every key type with a text form works, composite keys included, and a
 * checkpoint is readable JSON. Row comparisons {@code (a, b) > (x, y)} walk a btree on the key.
 */
final class KeysetBackfill {
    /** How often the operator's control row is read while batches run. */
    static final Duration CONTROL_INTERVAL = Duration.ofSeconds(1);
    /** Weight of the newest batch in the moving average of the rate (the ETA's basis). */
    static final double RATE_WEIGHT = 0.2;
    /** How often a waiting backfill refreshes the reason in its checkpoint (its readings change). */
    static final Duration WAITING_REFRESH = Duration.ofSeconds(5);
    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");

    private final PhaseExecutor x;

    KeysetBackfill(PhaseExecutor executor) {
        this.x = executor;
    }

    /** What the steps table shows for a backfill. */
    static String describe(BackfillStep b) {
        return change(b) + (b.where() == null ? "" : " WHERE " + b.where()) + " -- in keyset batches by ("
                + String.join(", ", b.key()) + ")";
    }

    /** What a checkpoint belongs to: the walk and the change, not the tuning. */
    static String definition(BackfillStep b) {
        return Sha256.hex(b.table() + "\n" + String.join(",", b.key()) + "\n" + b.operation().id() + "\n" + b.set() + "\n"
                + b.where());
    }

    private record Start(List<String> types, Checkpoint checkpoint, int pid) {}

    /** What one batch did. */
    private sealed interface Batch {
        record Ran(long rows, long nanos, Checkpoint after) implements Batch {}

        record TimedOut(String error) implements Batch {}

        record Finished(Checkpoint at) implements Batch {}
    }

    ApplyResult.Outcome run(StepRecord rec, BackfillStep b) {
        String description = describe(b);
        String definition = definition(b);
        Start start = x.retrying(rec, "backfill", description, true, attempt -> {
            if (attempt == 1) {
                x.store.markRunning(rec.id(), x.now());
                x.event(rec, EventType.STEP_STARTED, Map.of("attempt", rec.attempts() + 1));
            }
            List<String> t = keyTypes(b);
            Checkpoint cp = x.store.checkpoint(rec.id()).orElse(null);
            if (cp == null) {
                cp = x.store.startCheckpoint(rec.id(), maxKey(b), definition, estimate(b), x.o.backfill().initialBatch(), x.now());
            } else if (cp.definition() != null && !cp.definition().equals(definition)) {
                // 55000 object_not_in_prerequisite_state: not retryable, the step fails with this
                throw new SQLException("the checkpoint of this step belongs to a different backfill (its table, key, SET or"
                        + " WHERE differ); roll the release back instead of resuming it", "55000");
            }
            return new Start(t, cp, backendPid());
        });
        BackfillOptions base = x.o.backfill();
        BatchSizer sizer = new BatchSizer(base.adaptive() && start.checkpoint().batchSize() != null
                ? start.checkpoint().batchSize() : base.initialBatch(), base.minBatch(), base.maxBatch(), base.targetBatchTime());
        BackfillMetrics metrics = new BackfillMetrics(x.o.meters(), b.table());
        Walk walk = new Walk(rec, b, description, start, base, sizer, metrics);
        try {
            return walk.run();
        } finally {
            walk.closeThrottle();
        }
    }

    /** One run of one backfill step: its settings, throttle and waiting state. */
    private final class Walk {
        private final StepRecord rec;
        private final BackfillStep b;
        private final String description;
        private final Start start;
        private final BackfillOptions base;
        private final BatchSizer sizer;
        private final BackfillMetrics metrics;
        private BackfillOptions options;
        private Throttle throttle;
        private Map<String, String> inForce = Map.of();
        private long seenVersion = -1;
        private Instant nextControlRead = Instant.MIN;
        private BackfillControl control = BackfillControl.NONE;
        private String waitingFor;
        private Instant waitingSince;
        private Instant lastWaitCheck;
        private Instant waitingWritten = Instant.MIN;
        private List<String> waitingSignals = List.of();
        private Instant lastBatchEnd;
        private Double rate;
        /** When the rest after the last batch began ({@code null}: no rest), and that batch's duration. */
        private Instant restFrom;
        private long restBatchNanos;
        /** The committed position as this walk left it; {@code null}: read it in the next batch. */
        private Checkpoint position;

        Walk(StepRecord rec, BackfillStep b, String description, Start start, BackfillOptions base, BatchSizer sizer,
                BackfillMetrics metrics) {
            this.rec = rec;
            this.b = b;
            this.description = description;
            this.start = start;
            this.base = base;
            this.options = base;
            this.sizer = sizer;
            this.metrics = metrics;
            this.rate = start.checkpoint().rowsPerSecond();
            this.position = start.checkpoint();
        }

        ApplyResult.Outcome run() {
            throttle = x.retrying(rec, "backfill throttle", description, true,
                    attempt -> options.throttle().open(x.connections(), b.table(), start.pid()));
            metrics.batchSizeIs(sizer.size());
            while (true) {
                Instant now = x.now();
                if (!now.isBefore(nextControlRead)) {
                    retried("backfill control", this::readControl);
                    nextControlRead = now.plus(CONTROL_INTERVAL);
                }
                Verdict verdict = control.paused()
                        ? new Verdict.Pause(List.of(new Verdict.Reason("paused", "paused by " + (control.by() == null ? "an operator"
                                : control.by()) + (control.changed() == null ? "" : " at " + control.changed()))))
                        : throttle.check(now);
                if (verdict instanceof Verdict.Pause pause) {
                    retried("backfill wait", () -> waitFor(pause, now));
                    sleep(throttle.pollInterval());
                    continue;
                }
                // the rest after a batch (--nice-ratio), slept in pieces of at most the control
                // interval: a pause or a new nice-ratio from the operator is seen during it, and
                // its end follows the nice-ratio in force
                if (restFrom != null) {
                    Instant restEnd = restFrom.plusNanos((long) (restBatchNanos * options.niceRatio()));
                    if (now.isBefore(restEnd)) {
                        Duration left = Duration.between(now, restEnd);
                        sleep(left.compareTo(CONTROL_INTERVAL) < 0 ? left : CONTROL_INTERVAL);
                        continue;
                    }
                    restFrom = null;
                }
                if (waitingFor != null) {
                    retried("backfill wait", () -> resumeAfterWait(now));
                }
                int size = sizer.size();
                // a retried batch (its connection lost, perhaps after the commit landed) reads the
                // position again rather than trusting the one carried
                Batch result = x.retrying(rec, "backfill batch", description, true, attempt -> {
                    if (attempt > 1) position = null;
                    return batch(size);
                });
                switch (result) {
                    case Batch.Finished f -> {
                        retried("backfill", () -> done(f.at()));
                        return ApplyResult.Outcome.RAN;
                    }
                    case Batch.TimedOut t -> split(size, t.error());
                    case Batch.Ran r -> {
                        position = r.after();
                        metrics.batch(r.rows(), r.nanos(), sizer.size());
                        x.o.listener().progress(rec, r.after());
                        // the rest between batches: no lock, no snapshot held
                        if (options.niceRatio() > 0) {
                            restFrom = x.now();
                            restBatchNanos = r.nanos();
                        }
                    }
                }
            }
        }

        /** One batch in one transaction. */
        private Batch batch(int size) throws SQLException {
            String keys = columns(b.key());
            String filter = b.where() == null ? "" : " AND (" + b.where() + ")";
            Batch[] out = new Batch[1];
            long t0 = System.nanoTime();
            try {
                x.inTransaction(options.batchTimeout(), () -> {
                    Checkpoint cp = position != null ? position : x.store.checkpoint(rec.id()).orElseThrow();
                    if (cp.maxKey() == null) {
                        out[0] = new Batch.Finished(cp);
                        return;
                    }
                    String lower = cp.lastKey() == null ? "" : "(" + keys + ") > " + tuple(start.types()) + " AND ";
                    // two statements, not one CTE: with the end key a parameter of the change the
                    // planner knows the range is narrow; as a CTE's output it would guess a third of
                    // the table, and might scan all of it
                    List<String> end;
                    try (PreparedStatement ps = x.c.prepareStatement("SELECT " + texts(b.key()) + " FROM (SELECT " + keys
                            + " FROM " + b.table() + " WHERE " + lower + "(" + keys + ") <= " + tuple(start.types()) + filter
                            + " ORDER BY " + keys + " LIMIT " + size + ") AS batch ORDER BY " + descending(b.key()) + " LIMIT 1")) {
                        int p = bind(ps, 1, cp.lastKey());
                        bind(ps, p, cp.maxKey());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                out[0] = new Batch.Finished(cp);
                                return;
                            }
                            end = new ArrayList<>();
                            for (int i = 1; i <= b.key().size(); i++) end.add(rs.getString(i));
                        }
                    }
                    long rows;
                    try (PreparedStatement ps = x.c.prepareStatement(change(b) + " WHERE " + lower + "(" + keys + ") <= "
                            + tuple(start.types()) + filter)) {
                        int p = bind(ps, 1, cp.lastKey());
                        bind(ps, p, end);
                        rows = ps.executeLargeUpdate();
                    }
                    long nanos = System.nanoTime() - t0;
                    Instant now = x.now();
                    // the rate over wall time since the previous batch ended: waits and overhead
                    // included, so that the ETA is what the operator will see
                    double seconds = lastBatchEnd == null ? nanos / 1e9
                            : Math.max(nanos / 1e9, Duration.between(lastBatchEnd, now).toNanos() / 1e9);
                    double batchRate = rows / Math.max(seconds, 1e-6);
                    Double nextRate = rate == null ? batchRate : RATE_WEIGHT * batchRate + (1 - RATE_WEIGHT) * rate;
                    int next = sizer.record(rows, nanos);
                    if (!x.store.advanceCheckpoint(rec.id(), cp.lastKey(), end, rows, next, nextRate, now)) {
                        // 55000 object_not_in_prerequisite_state: not retried; the batch rolls back
                        throw new SQLException("the checkpoint of this backfill is no longer at " + cp.lastKey()
                                + ", where this run left it: another run moved it; this run stops without changing more", "55000");
                    }
                    out[0] = new Batch.Ran(rows, nanos, new Checkpoint(cp.stepId(), end, cp.maxKey(), cp.rowsDone() + rows,
                            cp.batches() + 1, now, next, cp.definition(), cp.rowsEstimate(), nextRate, cp.throttledMs(), null,
                            cp.started()));
                    rate = nextRate;
                    lastBatchEnd = now;
                });
            } catch (SQLException e) {
                // 57014 query_canceled: the batch timeout (or a DBA's pg_cancel_backend); the batch
                // was rolled back whole, checkpoint included
                if ("57014".equals(e.getSQLState())) return new Batch.TimedOut(PhaseExecutor.serverMessage(e));
                throw e;
            }
            return out[0];
        }

        private void split(int size, String error) {
            if (!sizer.split()) {
                throw x.failed(rec, "backfill batch", description, true, new SQLException("a batch of one row did not finish"
                        + " within the batch timeout (" + DurationText.format(options.batchTimeout()) + "): " + error
                        + "; raise it with migrate backfill set batch-timeout=…", "57014"), 1, false);
            }
            retried("backfill", () -> x.event(rec, EventType.BACKFILL_BATCH_SPLIT, Map.of("rows", size, "nextRows",
                    sizer.size(), "error", error)));
            metrics.batchSizeIs(sizer.size());
        }

        /**
         * Reads the operator's control row; a new version of it is applied (its settings all or
         * none: a combination the run cannot take leaves the settings in force) and acknowledged,
         * so that the operator's command can say whether it was taken.
         */
        private void readControl() throws SQLException {
            control = x.store.backfillControl().forRelease(x.releaseId());
            if (control.release() == null || control.version() == seenVersion) return;
            seenVersion = control.version();
            String refused = null;
            if (!control.settings().equals(inForce)) {
                try {
                    BackfillOptions next = BackfillSettings.apply(base, control.settings());
                    if (!next.throttle().equals(options.throttle())) {
                        Throttle opened = next.throttle().open(x.connections(), b.table(), start.pid());
                        closeThrottle();
                        throttle = opened;
                    }
                    sizer.limits(next.minBatch(), next.maxBatch());
                    if (!next.adaptive()) sizer.fix(next.initialBatch());
                    sizer.target(next.targetBatchTime());
                    options = next;
                    inForce = control.settings();
                    x.event(rec, EventType.BACKFILL_SETTINGS_CHANGED, Map.of("settings", inForce, "by",
                            control.by() == null ? "" : control.by()));
                    metrics.batchSizeIs(sizer.size());
                } catch (IllegalArgumentException | SQLException e) {
                    // validated against the defaults where it was set; this run's own options (a
                    // --batch-timeout, a --no-throttle) can still refuse it: keep what is in force
                    refused = e.getMessage();
                    x.event(rec, EventType.BACKFILL_SETTINGS_CHANGED, Map.of("settings", control.settings(), "refused", refused));
                }
            }
            x.store.acknowledgeBackfillControl(x.releaseId(), control.version(), inForce, refused);
        }

        /**
         * Records a wait: an event when the backfill starts waiting or the set of signals that
         * hold it changes (the readings in the reason change with every poll: an event each time
         * would flood the log), and the current reason in the checkpoint at most every
         * {@link #WAITING_REFRESH} for {@code backfill status}.
         */
        private void waitFor(Verdict.Pause pause, Instant now) throws SQLException {
            String reason = pause.summary();
            List<String> signals = pause.reasons().stream().map(Verdict.Reason::signal).sorted().toList();
            if (waitingFor == null) {
                waitingSince = now;
                metrics.waiting(true);
            } else {
                for (String signal : signals) metrics.throttled(signal, Duration.between(lastWaitCheck, now));
            }
            lastWaitCheck = now;
            boolean changed = !signals.equals(waitingSignals);
            if (changed || Duration.between(waitingWritten, now).compareTo(WAITING_REFRESH) >= 0) {
                x.store.checkpointWaiting(rec.id(), reason, 0, now);
                waitingWritten = now;
            }
            waitingFor = reason;
            if (changed) {
                waitingSignals = signals;
                x.event(rec, EventType.BACKFILL_THROTTLED, Map.of("reason", reason, "signals", signals));
            }
        }

        private void resumeAfterWait(Instant now) throws SQLException {
            long waited = Duration.between(waitingSince, now).toMillis();
            x.store.checkpointWaiting(rec.id(), null, waited, now);
            x.event(rec, EventType.BACKFILL_RESUMED, Map.of("waitedMs", waited, "after", waitingFor));
            if (position != null) position = position.waited(waited);
            waitingFor = null;
            waitingSince = null;
            waitingSignals = List.of();
            lastBatchEnd = now; // the wait is in throttledMs, not in the rate
            metrics.waiting(false);
        }

        private void done(Checkpoint cp) throws SQLException {
            x.store.markDone(rec.id(), x.now());
            x.event(rec, EventType.STEP_DONE, Map.of("rowsDone", cp.rowsDone(), "batches", cp.batches()));
        }

        /** A state write of the walk, retried on lock timeouts and deadlocks like a batch. */
        private void retried(String action, PhaseExecutor.SqlAction body) {
            x.retrying(rec, action, description, true, attempt -> {
                body.run();
                return null;
            });
        }

        private void sleep(Duration d) {
            try {
                x.o.sleeper().sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw x.failed(rec, "backfill", description, true, new SQLException("interrupted while the backfill waited",
                        "57014"), 1, false);
            }
        }

        void closeThrottle() {
            if (throttle != null) throttle.close();
            throttle = null;
        }
    }

    private static String change(BackfillStep b) {
        return b.operation() == BackfillStep.Operation.DELETE ? "DELETE FROM " + b.table() : "UPDATE " + b.table() + " SET " + b.set();
    }

    private int backendPid() throws SQLException {
        try (Statement st = x.c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The planner's estimate of the rows the backfill changes (EXPLAIN, no scan); null when unknown. */
    private Long estimate(BackfillStep b) throws SQLException {
        try (Statement st = x.c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) SELECT 1 FROM "
                + b.table() + (b.where() == null ? "" : " WHERE " + b.where()))) {
            if (!rs.next()) return null;
            Matcher m = PLAN_ROWS.matcher(rs.getString(1));
            return m.find() ? Long.parseLong(m.group(1)) : null;
        }
    }

    /** The key columns' types as SQL ({@code format_type}), in key order. */
    private List<String> keyTypes(BackfillStep b) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = x.c.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = ?::regclass AND attname = ? AND attnum > 0 AND NOT attisdropped")) {
            for (String column : b.key()) {
                ps.setString(1, b.table());
                ps.setString(2, column);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new SQLException("backfill key column " + column + " not found in " + b.table(), "42703");
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The highest key now (whatever {@code where} says): the bound of the walk; null for an empty table. */
    private List<String> maxKey(BackfillStep b) throws SQLException {
        try (Statement st = x.c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + texts(b.key()) + " FROM "
                + b.table() + " ORDER BY " + descending(b.key()) + " LIMIT 1")) {
            if (!rs.next()) return null;
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= b.key().size(); i++) out.add(rs.getString(i));
            return out;
        }
    }

    private static int bind(PreparedStatement ps, int from, List<String> values) throws SQLException {
        if (values == null) return from;
        for (String v : values) ps.setString(from++, v);
        return from;
    }

    private static String tuple(List<String> types) {
        return "(" + String.join(", ", types.stream().map(t -> "?::" + t).toList()) + ")";
    }

    private static String columns(List<String> key) {
        return String.join(", ", key.stream().map(KeysetBackfill::quote).toList());
    }

    /**
     * The key columns as text, aliased: under its own name a {@code key::text} output column would
     * win over the key column in ORDER BY, sorting 10 before 9.
     */
    private static String texts(List<String> key) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) out.add(quote(key.get(i)) + "::text AS tandem_key_" + (i + 1));
        return String.join(", ", out);
    }

    private static String descending(List<String> key) {
        return String.join(", ", key.stream().map(k -> quote(k) + " DESC").toList());
    }

    /** The key names are column names as stored; quoting them always is exact. */
    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
