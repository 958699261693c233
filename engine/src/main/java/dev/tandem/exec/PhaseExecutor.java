package dev.tandem.exec;

import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.state.EventType;
import dev.tandem.state.StateStore;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs the steps of one release on the work connection, as {@link SqlStep} documents: cleanup
 * before every attempt, the onlyIf guard once (its answer kept in the state tables, so that a
 * resumed run does not skip a step its first attempt half did), a transactional step in a
 * transaction of its own that also records it done, a non-transactional one in autocommit between
 * a committed "running" and a "done". Every attempt runs under {@code lock_timeout}; lock
 * timeouts, deadlocks and serialization failures are retried with backoff, each retry logged.
 */
final class PhaseExecutor {
    private final ConnectionFactory factory;
    final Connection c;
    final StateStore store;
    final ExecOptions o;
    private final long releaseId;
    private final KeysetBackfill backfill;

    PhaseExecutor(ConnectionFactory factory, Connection work, StateStore store, ExecOptions options, long releaseId) {
        this.factory = factory;
        this.c = work;
        this.store = store;
        this.o = options;
        this.releaseId = releaseId;
        this.backfill = new KeysetBackfill(this);
    }

    /** Runs one step unless an earlier run finished it. */
    ApplyResult.Outcome forward(StepRecord rec, Step step) {
        if (rec.status().finished()) return ApplyResult.Outcome.ALREADY_DONE;
        return switch (step) {
            case SqlStep s -> runSql(rec, s);
            case BackfillStep b -> backfill.run(rec, b);
        };
    }

    private ApplyResult.Outcome runSql(StepRecord rec, SqlStep s) {
        Boolean[] onlyIf = {rec.onlyIf()};
        Doing doing = new Doing("step", s.sql());
        int[] starts = {0}; // attempts that got past the cleanup: those the step's record counts
        return retrying(rec, doing, true, attempt -> {
            if (s.cleanup() != null) {
                doing.set("cleanup", s.cleanup().sql());
                cleanup(rec, s.cleanup());
                doing.set("step", s.sql());
            }
            if (onlyIf[0] == null && s.onlyIf() != null) {
                onlyIf[0] = returnsRow(s.onlyIf());
                store.recordOnlyIf(rec.id(), onlyIf[0]);
            }
            if (Boolean.FALSE.equals(onlyIf[0])) {
                store.markSkipped(rec.id(), now());
                event(rec, EventType.STEP_SKIPPED, Map.of("onlyIf", s.onlyIf()));
                return ApplyResult.Outcome.SKIPPED;
            }
            store.markRunning(rec.id(), now());
            int n = rec.attempts() + ++starts[0];
            event(rec, EventType.STEP_STARTED, Map.of("attempt", n));
            execute(s.sql(), s.transactional(), StepKind.of(s), () -> {
                store.markDone(rec.id(), now());
                event(rec, EventType.STEP_DONE, Map.of("attempt", n));
            });
            return ApplyResult.Outcome.RAN;
        });
    }

    /** Undoes one step by its rollback SQL (or records that there is nothing to undo). */
    void undo(StepRecord rec) {
        if (rec.rollback() == null) {
            try {
                store.markRolledBack(rec.id(), now());
                if (rec.kind() == StepKind.BACKFILL) store.deleteCheckpoint(rec.id());
                event(rec, EventType.STEP_ROLLED_BACK, Map.of("nothingToUndo", true));
            } catch (SQLException e) {
                throw failed(rec, "rollback", rec.sql(), false, e, 1, false);
            }
            return;
        }
        retrying(rec, "rollback", rec.rollback(), false, attempt -> {
            execute(rec.rollback(), rec.transactional(), StepKind.of(rec.rollback(), rec.transactional()), () -> {
                store.markRolledBack(rec.id(), now());
                event(rec, EventType.STEP_ROLLED_BACK, Map.of("attempt", attempt, "sql", rec.rollback()));
            });
            return null;
        });
    }

    private void cleanup(StepRecord rec, SqlStep.Cleanup cleanup) throws SQLException {
        if (!returnsRow(cleanup.when())) return;
        execute(cleanup.sql(), false, StepKind.of(cleanup.sql(), false), () -> {});
        event(rec, EventType.CLEANUP_RAN, Map.of("sql", cleanup.sql()));
    }

    /** State writes that must commit with the statement they follow. */
    interface SqlAction {
        void run() throws SQLException;
    }

    /**
     * Runs {@code sql}: transactional with SET LOCAL timeouts and {@code inTransaction} in the same
     * transaction; otherwise in autocommit with session timeouts, reset after, then {@code inTransaction}
     * in autocommit of its own.
     */
    void execute(String sql, boolean transactional, StepKind kind, SqlAction inTransaction) throws SQLException {
        if (transactional) {
            inTransaction(kind, () -> {
                try (Statement st = c.createStatement()) {
                    // several statements separated by ";\n" go as one execute: one transaction, and
                    // the driver splits them respecting quotes and dollar quoting
                    st.execute(sql);
                }
                inTransaction.run();
            });
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = " + lockTimeout());
            st.execute("SET statement_timeout = " + statementTimeout(kind));
            try {
                st.execute(sql);
            } finally {
                resetQuietly();
            }
        }
        inTransaction.run();
    }

    /** {@code body} in a transaction of its own, with SET LOCAL timeouts, committed at the end. */
    void inTransaction(StepKind kind, SqlAction body) throws SQLException {
        inTransaction(statementTimeout(kind), body);
    }

    /** {@code body} in a transaction with this statement timeout (a backfill batch's own). */
    void inTransaction(Duration statementTimeout, SqlAction body) throws SQLException {
        inTransaction("'" + statementTimeout.toMillis() + "ms'", body);
    }

    private void inTransaction(String statementTimeout, SqlAction body) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // one round trip for both (the driver sends the two statements together): a backfill
            // runs this for every batch, and each round trip wakes the backend and the JVM once more
            st.execute("SET LOCAL lock_timeout = " + lockTimeout() + "; SET LOCAL statement_timeout = " + statementTimeout);
            body.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            autocommitQuietly();
        }
    }

    private String lockTimeout() {
        return "'" + o.lockTimeout().toMillis() + "ms'";
    }

    /** Catalog-only DDL gets the short timeout; scans under a weak lock may take as long as they need. */
    private String statementTimeout(StepKind kind) {
        return kind == StepKind.DDL ? "'" + o.ddlStatementTimeout().toMillis() + "ms'" : "0";
    }

    /** A unit of work retried on lock timeouts, deadlocks and serialization failures. */
    interface Attempt<T> {
        T run(int attempt) throws SQLException;
    }

    /**
     * What an attempt is doing when it fails, for the retry and failure records: a step whose
     * INVALID-index cleanup times out is reported as the cleanup, with the cleanup's SQL.
     */
    static final class Doing {
        private String action;
        private String sql;

        Doing(String action, String sql) {
            set(action, sql);
        }

        void set(String action, String sql) {
            this.action = action;
            this.sql = sql;
        }
    }

    <T> T retrying(StepRecord rec, String action, String sql, boolean forward, Attempt<T> body) {
        return retrying(rec, new Doing(action, sql), forward, body);
    }

    <T> T retrying(StepRecord rec, Doing doing, boolean forward, Attempt<T> body) {
        Instant first = now();
        for (int attempt = 1; ; attempt++) {
            try {
                return body.run(attempt);
            } catch (SQLException e) {
                String action = doing.action;
                String sql = doing.sql;
                boolean retryable = Retry.retryable(e);
                if (retryable && attempt < o.maxAttempts()) {
                    Duration delay = Retry.delay(attempt, o.backoffBase(), o.backoffMax(), o.random());
                    if (Duration.between(first, now()).plus(delay).compareTo(o.maxRetryTime()) <= 0) {
                        try {
                            Map<String, Object> d = new LinkedHashMap<>();
                            d.put("action", action);
                            d.put("attempt", attempt);
                            d.put("sqlState", e.getSQLState());
                            d.put("error", serverMessage(e));
                            d.put("delayMs", delay.toMillis());
                            event(rec, EventType.STEP_RETRIED, d);
                            o.sleeper().sleep(delay);
                        } catch (SQLException s) {
                            s.addSuppressed(e);
                            throw failed(rec, action, sql, forward, s, attempt, false);
                        } catch (InterruptedException i) {
                            Thread.currentThread().interrupt();
                            throw failed(rec, action, sql, forward,
                                    new SQLException("interrupted while waiting to retry: " + e.getMessage(), e.getSQLState(), e),
                                    attempt, false);
                        }
                        continue;
                    }
                }
                throw failed(rec, action, sql, forward, e, attempt, retryable);
            }
        }
    }

    /**
     * Records the failure (a forward step as failed, with PostgreSQL's message and SQLSTATE) and
     * returns the exception to throw. The work connection may be gone (a terminated backend): the
     * record is then written on a fresh one, and when that fails too the step stays "running",
     * which the next run handles the same way.
     */
    StepFailedException failed(StepRecord rec, String action, String sql, boolean forward, SQLException e, int attempts,
            boolean exhausted) {
        String message = serverMessage(e);
        StepFailedException ex = new StepFailedException(action, rec.phase(), rec.migration(), rec.line(), sql, e.getSQLState(),
                message, attempts, exhausted, e);
        try {
            withState(s -> {
                if (forward) s.markFailed(rec.id(), message, e.getSQLState(), now());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("action", action);
                d.put("attempt", attempts);
                d.put("sqlState", e.getSQLState());
                d.put("error", message);
                s.append(releaseId, rec.id(), EventType.STEP_FAILED, d, now());
            });
        } catch (SQLException | RuntimeException r) {
            ex.addSuppressed(r);
        }
        return ex;
    }

    interface StateAction {
        void run(StateStore store) throws SQLException;
    }

    /** Runs a state write on the work connection, or on a fresh one when the work connection died. */
    void withState(StateAction action) throws SQLException {
        if (c.isValid(2)) {
            autocommitQuietly();
            action.run(store);
            return;
        }
        try (Connection fresh = factory.connect()) {
            fresh.setAutoCommit(true);
            action.run(new StateStore(fresh));
        }
    }

    long releaseId() {
        return releaseId;
    }

    /** Where the throttle opens its own monitoring connection. */
    ConnectionFactory connections() {
        return factory;
    }

    void event(StepRecord rec, EventType type, Map<String, ?> detail) throws SQLException {
        store.append(releaseId, rec == null ? null : rec.id(), type, detail, now());
        if (rec != null) o.listener().on(type, rec, detail);
    }

    boolean returnsRow(String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        }
    }

    Instant now() {
        return o.clock().instant();
    }

    /** PostgreSQL's own words: severity, message, detail, hint (no driver decoration). */
    static String serverMessage(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            StringBuilder b = new StringBuilder();
            b.append(m.getSeverity() == null ? "ERROR" : m.getSeverity()).append(":  ").append(m.getMessage());
            if (m.getDetail() != null) b.append("\nDETAIL:  ").append(m.getDetail());
            if (m.getHint() != null) b.append("\nHINT:  ").append(m.getHint());
            return b.toString();
        }
        return e.getMessage();
    }

    private void rollbackQuietly() {
        try {
            if (!c.isClosed()) c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; so is the transaction
        }
    }

    private void autocommitQuietly() {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is gone
        }
    }

    private void resetQuietly() {
        try (Statement st = c.createStatement()) {
            st.execute("RESET lock_timeout");
            st.execute("RESET statement_timeout");
        } catch (SQLException ignored) {
            // the connection is gone, and its session settings with it
        }
    }
}
