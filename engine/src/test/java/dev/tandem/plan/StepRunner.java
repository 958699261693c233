package dev.tandem.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs plan steps the way {@link SqlStep} documents the executor does (cleanup before every
 * attempt, onlyIf once, a transaction of its own or autocommit), and rolls back what it ran in
 * reverse. Backfill steps run as a simple keyset loop (the throttled, resumable engine is a later
 * issue). A test stand-in for the executor, so that the plan's SQL is proven on a real server;
 * public for the integration tests.
 */
public final class StepRunner implements AutoCloseable {
    private final Connection c;
    private final List<Step> done = new ArrayList<>();
    private final Map<Step, Boolean> onlyIfAnswers = new IdentityHashMap<>();
    private final List<String> messages = new ArrayList<>();
    private final List<String> executed = new ArrayList<>();

    public StepRunner(Connection connection) throws SQLException {
        this.c = connection;
        c.setAutoCommit(true);
    }

    /** Makes the server report DEBUG1 messages (e.g. "… is implied by existing constraints") as warnings. */
    public StepRunner debug() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET client_min_messages = debug1");
        }
        return this;
    }

    /** Server messages (NOTICE, DEBUG1 with {@link #debug()}) seen while running steps. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The SQL actually run, in order (cleanups, steps, rollbacks; guard queries left out). */
    public List<String> executed() {
        return List.copyOf(executed);
    }

    public void runAll(List<Step> steps) throws SQLException {
        for (Step s : steps) run(s);
    }

    /** One attempt; the step counts as done when it ran (or was skipped) without error. */
    public void run(Step step) throws SQLException {
        switch (step) {
            case SqlStep s -> {
                if (s.cleanup() != null && returnsRow(s.cleanup().when())) execute(s.cleanup().sql(), false);
                Boolean run = onlyIfAnswers.get(step);
                if (run == null) {
                    run = s.onlyIf() == null || returnsRow(s.onlyIf());
                    onlyIfAnswers.put(step, run);
                }
                if (!run) return;
                execute(s.sql(), s.transactional());
                done.add(step);
            }
            case BackfillStep b -> {
                backfill(b, 3);
                done.add(step);
            }
        }
    }

    /** Rolls back every step this runner ran, last first; fails on an irreversible one. */
    public void rollbackAll() throws SQLException {
        for (int i = done.size() - 1; i >= 0; i--) {
            Step s = done.get(i);
            if (!s.reversible()) throw new AssertionError("irreversible step in a rollback: " + s);
            if (s instanceof SqlStep sql && sql.hasRollback()) execute(sql.rollback(), sql.transactional());
        }
        done.clear();
        onlyIfAnswers.clear();
    }

    public boolean returnsRow(String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        }
    }

    private void execute(String sql, boolean transactional) throws SQLException {
        executed.add(sql);
        if (!transactional) {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                collect(st.getWarnings());
            }
            return;
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            collect(st.getWarnings());
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void collect(SQLWarning w) {
        for (; w != null; w = w.getNextWarning()) messages.add(w.getMessage());
    }

    /**
     * {@code UPDATE table SET … (or DELETE FROM table) WHERE key IN (next batch by key) AND (where)}, one short transaction
     * per batch; the batch's keys are read first, so a SET that makes a row leave {@code where}
     * does not disturb the walk.
     */
    public void backfill(BackfillStep b, int batchSize) throws SQLException {
        List<String> key = b.key().stream().map(SqlText::ident).toList();
        String keyList = String.join(", ", key);
        String filter = b.where() == null ? "" : " AND (" + b.where() + ")";
        List<Object> last = null;
        while (true) {
            c.setAutoCommit(false);
            try {
                String after = last == null ? "true" : "(" + keyList + ") > (" + "?, ".repeat(key.size() - 1) + "?)";
                List<List<Object>> batch = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + keyList + " FROM " + b.table() + " WHERE " + after
                        + filter + " ORDER BY " + keyList + " LIMIT " + batchSize + " FOR UPDATE")) {
                    if (last != null) for (int i = 0; i < key.size(); i++) ps.setObject(i + 1, last.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            List<Object> row = new ArrayList<>();
                            for (int i = 1; i <= key.size(); i++) row.add(rs.getObject(i));
                            batch.add(row);
                        }
                    }
                }
                if (batch.isEmpty()) {
                    c.commit();
                    return;
                }
                String tuple = "(" + "?, ".repeat(key.size() - 1) + "?)";
                String sql = (b.operation() == BackfillStep.Operation.DELETE ? "DELETE FROM " + b.table()
                        : "UPDATE " + b.table() + " SET " + b.set()) + " WHERE (" + keyList + ") IN ("
                        + String.join(", ", java.util.Collections.nCopies(batch.size(), tuple)) + ")" + filter;
                executed.add(sql);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int p = 1;
                    for (List<Object> row : batch) for (Object v : row) ps.setObject(p++, v);
                    ps.executeUpdate();
                }
                c.commit();
                last = batch.get(batch.size() - 1);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
