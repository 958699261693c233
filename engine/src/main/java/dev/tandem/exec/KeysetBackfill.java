package dev.tandem.exec;

import dev.tandem.plan.BackfillStep;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventType;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link BackfillStep} as a simple keyset loop (issue 5 replaces it with the adaptive, throttled
 * engine). The walk is bounded by the highest key when the backfill started, kept in the
 * checkpoint so that a resumed walk has the same bound. Each batch is one transaction: find the
 * key of the batch's last row ({@code batchSize} rows past the checkpoint that match
 * {@code where}), change the rows in that key range that match {@code where}, and move the
 * checkpoint to that key, all committed together; a killed run resumes exactly after the last
 * committed batch, so no row is changed twice.
 *
 * <p>Keys are carried as text ({@code key::text}) and cast back with the column's own type
 * ({@code format_type}), so every key type with a text form works, composite keys included, and a
 * checkpoint is readable JSON. Row comparisons {@code (a, b) > (x, y)} walk a btree on the key.
 */
final class KeysetBackfill {
    private final PhaseExecutor x;

    KeysetBackfill(PhaseExecutor executor) {
        this.x = executor;
    }

    /** What the steps table shows for a backfill. */
    static String describe(BackfillStep b) {
        String change = b.operation() == BackfillStep.Operation.DELETE ? "DELETE FROM " + b.table()
                : "UPDATE " + b.table() + " SET " + b.set();
        return change + (b.where() == null ? "" : " WHERE " + b.where()) + " -- in keyset batches by ("
                + String.join(", ", b.key()) + ")";
    }

    ApplyResult.Outcome run(StepRecord rec, BackfillStep b) {
        String description = describe(b);
        List<String> types = x.retrying(rec, "backfill", description, true, attempt -> {
            if (attempt == 1) {
                x.store.markRunning(rec.id(), x.now());
                x.event(rec, EventType.STEP_STARTED, Map.of("attempt", rec.attempts() + 1));
            }
            List<String> t = keyTypes(b);
            if (x.store.checkpoint(rec.id()).isEmpty()) x.store.startCheckpoint(rec.id(), maxKey(b), x.now());
            return t;
        });
        while (x.retrying(rec, "backfill batch", description, true, attempt -> batch(rec, b, types))) {
            // next batch
        }
        return ApplyResult.Outcome.RAN;
    }

    /** One batch in one transaction; false when there was nothing left (the step is then done). */
    private boolean batch(StepRecord rec, BackfillStep b, List<String> types) throws SQLException {
        String keys = columns(b.key());
        String filter = b.where() == null ? "" : " AND (" + b.where() + ")";
        boolean[] more = {false};
        x.inTransaction(StepKind.BACKFILL, () -> {
            Checkpoint cp = x.store.checkpoint(rec.id()).orElseThrow();
            if (cp.maxKey() == null) {
                done(rec, cp);
                return;
            }
            String lower = cp.lastKey() == null ? "" : "(" + keys + ") > " + tuple(types) + " AND ";
            List<String> end;
            try (PreparedStatement ps = x.c.prepareStatement("SELECT " + texts(b.key()) + " FROM (SELECT " + keys + " FROM "
                    + b.table() + " WHERE " + lower + "(" + keys + ") <= " + tuple(types) + filter + " ORDER BY " + keys
                    + " LIMIT " + x.o.batchSize() + ") AS batch ORDER BY " + descending(b.key()) + " LIMIT 1")) {
                int p = bind(ps, 1, cp.lastKey());
                bind(ps, p, cp.maxKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        done(rec, cp);
                        return;
                    }
                    end = new ArrayList<>();
                    for (int i = 1; i <= b.key().size(); i++) end.add(rs.getString(i));
                }
            }
            String change = b.operation() == BackfillStep.Operation.DELETE ? "DELETE FROM " + b.table()
                    : "UPDATE " + b.table() + " SET " + b.set();
            long rows;
            try (PreparedStatement ps = x.c.prepareStatement(change + " WHERE " + lower + "(" + keys + ") <= " + tuple(types)
                    + filter)) {
                int p = bind(ps, 1, cp.lastKey());
                bind(ps, p, end);
                rows = ps.executeLargeUpdate();
            }
            x.store.advanceCheckpoint(rec.id(), end, rows, x.now());
            more[0] = true;
        });
        return more[0];
    }

    private void done(StepRecord rec, Checkpoint cp) throws SQLException {
        x.store.markDone(rec.id(), x.now());
        x.event(rec, EventType.STEP_DONE, Map.of("rowsDone", cp.rowsDone(), "batches", cp.batches()));
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
