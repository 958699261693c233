package dev.tandem.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.plan.Phase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the {@code tandem} state tables ({@link StateSchema}) on one connection, in
 * whatever transaction the caller has open: the executor writes a transactional step's
 * {@linkplain #markDone done} and a backfill batch's {@linkplain #advanceCheckpoint checkpoint} in
 * the transaction of the step or batch itself, so that they commit together or not at all.
 * Timestamps come from the caller (its injected clock), not from the server.
 */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP_COLUMNS = "id, release_id, phase, ordinal, migration, line, kind, transactional, sql, "
            + "rollback, irreversible, content_hash, status, attempts, last_error, last_sqlstate, only_if, started_at, finished_at";
    private static final String RELEASE_COLUMNS = "id, fingerprint, migrations::text, status, created_at, started_at, finished_at";

    private final Connection c;

    public StateStore(Connection connection) {
        this.c = connection;
    }

    /** A step to record with a new release. */
    public record NewStep(
            Phase phase,
            int ordinal,
            String migration,
            int line,
            StepKind kind,
            boolean transactional,
            String sql,
            String rollback,
            String irreversible,
            String contentHash) {}

    // ---- releases

    /** Records a release and all its steps (pending), in one transaction of its own. */
    public ReleaseRecord createRelease(String fingerprint, List<String> migrations, List<NewStep> steps, Instant now)
            throws SQLException {
        return createRelease(fingerprint, migrations, steps, now, null, List.of());
    }

    /**
     * Records a new release, running, with its steps pending, in one transaction.
     *
     * @param plan    the plan as JSON (dev.tandem.exec.PlanCodec), which later runs execute, or {@code null}
     * @param sources the migrations the release was planned from, with their checksums
     */
    public ReleaseRecord createRelease(String fingerprint, List<String> migrations, List<NewStep> steps, Instant now,
                                       String plan, List<ReleaseSource> sources) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem.releases (fingerprint, migrations, status, "
                    + "created_at, plan, sources) VALUES (?, ?::jsonb, 'running', ?, ?::jsonb, ?::jsonb) RETURNING id")) {
                ps.setString(1, fingerprint);
                ps.setString(2, json(migrations));
                ps.setObject(3, ts(now));
                ps.setString(4, plan);
                ps.setString(5, json(sources));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem.steps (release_id, phase, ordinal, migration, "
                    + "line, kind, transactional, sql, rollback, irreversible, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (NewStep s : steps) {
                    ps.setLong(1, id);
                    ps.setString(2, s.phase().id());
                    ps.setInt(3, s.ordinal());
                    ps.setString(4, s.migration());
                    ps.setInt(5, s.line());
                    ps.setString(6, s.kind().id());
                    ps.setBoolean(7, s.transactional());
                    ps.setString(8, s.sql());
                    ps.setString(9, s.rollback());
                    ps.setString(10, s.irreversible());
                    ps.setString(11, s.contentHash());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            return release(id).orElseThrow();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    public Optional<ReleaseRecord> release(long id) throws SQLException {
        return oneRelease("SELECT " + RELEASE_COLUMNS + " FROM tandem.releases WHERE id = ?", id);
    }

    /** The newest release that is neither done nor rolled back: the one a run continues. */
    public Optional<ReleaseRecord> unfinishedRelease() throws SQLException {
        return oneRelease("SELECT " + RELEASE_COLUMNS + " FROM tandem.releases "
                + "WHERE status NOT IN ('done', 'rolled_back') ORDER BY id DESC LIMIT 1");
    }

    /** The newest release of any status. */
    public Optional<ReleaseRecord> latestRelease() throws SQLException {
        return oneRelease("SELECT " + RELEASE_COLUMNS + " FROM tandem.releases ORDER BY id DESC LIMIT 1");
    }

    /** The newest release with this fingerprint and status. */
    public Optional<ReleaseRecord> latestRelease(String fingerprint, ReleaseStatus status) throws SQLException {
        return oneRelease("SELECT " + RELEASE_COLUMNS + " FROM tandem.releases WHERE fingerprint = ? AND status = ? "
                + "ORDER BY id DESC LIMIT 1", fingerprint, status.id());
    }

    /** The plan a release was created with (JSON), or empty for a release recorded without one. */
    public Optional<String> plan(long id) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT plan::text FROM tandem.releases WHERE id = ?", id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    /** The migrations a release was planned from. */
    public List<ReleaseSource> sources(long id) throws SQLException {
        try (PreparedStatement ps = prepare("SELECT sources::text FROM tandem.releases WHERE id = ?", id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? read(rs.getString(1), new TypeReference<List<ReleaseSource>>() {}) : List.of();
        }
    }

    /** The migrations of every release that is done, oldest release first: what no later release plans again. */
    public List<ReleaseSource> doneSources() throws SQLException {
        List<ReleaseSource> out = new ArrayList<>();
        try (PreparedStatement ps = prepare("SELECT sources::text FROM tandem.releases WHERE status = 'done' ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.addAll(read(rs.getString(1), new TypeReference<List<ReleaseSource>>() {}));
        }
        return out;
    }

    /** Sets the status; the first run's start and the end (done, rolled back) are kept as timings. */
    public void setReleaseStatus(long id, ReleaseStatus status, Instant now) throws SQLException {
        update("UPDATE tandem.releases SET status = ?, "
                + "started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END, "
                + "finished_at = CASE WHEN ? IN ('done', 'rolled_back') THEN ? END WHERE id = ?",
                status.id(), status.id(), ts(now), status.id(), ts(now), id);
    }

    // ---- steps

    /** The release's steps, phase by phase, in order. */
    public List<StepRecord> steps(long releaseId) throws SQLException {
        List<StepRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM tandem.steps WHERE release_id = ? "
                + "ORDER BY array_position(ARRAY['expand', 'backfill', 'contract'], phase), ordinal")) {
            ps.setLong(1, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(step(rs));
            }
        }
        return out;
    }

    public StepRecord step(long stepId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM tandem.steps WHERE id = ?")) {
            ps.setLong(1, stepId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no step " + stepId);
                return step(rs);
            }
        }
    }

    /** Counts an attempt and marks the step running; the first start is kept. */
    public void markRunning(long stepId, Instant now) throws SQLException {
        update("UPDATE tandem.steps SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, ?), "
                + "finished_at = NULL WHERE id = ?", ts(now), stepId);
    }

    public void markDone(long stepId, Instant now) throws SQLException {
        update("UPDATE tandem.steps SET status = 'done', finished_at = ? WHERE id = ?", ts(now), stepId);
    }

    public void markSkipped(long stepId, Instant now) throws SQLException {
        update("UPDATE tandem.steps SET status = 'skipped', finished_at = ? WHERE id = ?", ts(now), stepId);
    }

    public void markFailed(long stepId, String error, String sqlState, Instant now) throws SQLException {
        update("UPDATE tandem.steps SET status = 'failed', last_error = ?, last_sqlstate = ?, finished_at = ? WHERE id = ?",
                error, sqlState, ts(now), stepId);
    }

    /** Keeps the answer of the step's {@code onlyIf} guard for every later attempt and run. */
    public void recordOnlyIf(long stepId, boolean answer) throws SQLException {
        update("UPDATE tandem.steps SET only_if = ? WHERE id = ?", answer, stepId);
    }

    public void markRolledBack(long stepId, Instant now) throws SQLException {
        update("UPDATE tandem.steps SET status = 'rolled_back', only_if = NULL, finished_at = ? WHERE id = ?", ts(now), stepId);
    }

    /** Back to pending after a rollback of its phase: the guard is asked again on the next run. */
    public void resetPending(long stepId) throws SQLException {
        update("UPDATE tandem.steps SET status = 'pending', only_if = NULL, finished_at = NULL WHERE id = ?", stepId);
    }

    // ---- backfill checkpoints

    public Optional<Checkpoint> checkpoint(long stepId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS.replace("k.", "")
                + " FROM tandem.backfill_checkpoints WHERE step_id = ?")) {
            ps.setLong(1, stepId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(checkpoint(rs));
            }
        }
    }

    public List<Checkpoint> checkpoints(long releaseId) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                + " FROM tandem.backfill_checkpoints k JOIN tandem.steps s ON s.id = k.step_id "
                + "WHERE s.release_id = ? ORDER BY k.step_id")) {
            ps.setLong(1, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(checkpoint(rs));
            }
        }
        return out;
    }

    private static final String CHECKPOINT_COLUMNS = "k.step_id, k.last_key::text, k.max_key::text, k.rows_done, k.batches, "
            + "k.updated_at, k.batch_size, k.definition, k.rows_estimate, k.rows_per_second, k.throttled_ms, k.waiting_for, "
            + "k.started_at";

    /** The walk's bound, read once when the backfill starts; no batch done yet. */
    public Checkpoint startCheckpoint(long stepId, List<String> maxKey, Instant now) throws SQLException {
        return startCheckpoint(stepId, maxKey, null, null, null, now);
    }

    /** The walk's bound and what the backfill is, read once when it starts; no batch done yet. */
    public Checkpoint startCheckpoint(long stepId, List<String> maxKey, String definition, Long rowsEstimate, Integer batchSize,
            Instant now) throws SQLException {
        update("INSERT INTO tandem.backfill_checkpoints (step_id, max_key, definition, rows_estimate, batch_size, updated_at, "
                + "started_at) VALUES (?, ?::jsonb, ?, ?, ?, ?, ?)", stepId, maxKey == null ? null : json(maxKey), definition,
                rowsEstimate, batchSize, ts(now), ts(now));
        return checkpoint(stepId).orElseThrow();
    }

    /**
     * One more batch committed, with the size the next one takes and the recent rate: to run in
     * the batch's own transaction, so that position and counters never disagree with the data.
     * Only from {@code from}: a backfill that carries its position from batch to batch instead of
     * reading it in every batch's transaction learns here, in the same statement, that the stored
     * position is not the one it carried (another run moved it, or a commit it took for lost had
     * landed).
     *
     * @param from the position the batch started after ({@code null}: the first batch)
     * @param nextBatchSize the size the next batch takes ({@code null}: keep the stored one)
     * @param rowsPerSecond the recent rate ({@code null}: keep the stored one)
     * @return whether the checkpoint was at {@code from} and moved; {@code false} changes nothing
     */
    public boolean advanceCheckpoint(long stepId, List<String> from, List<String> lastKey, long rows, Integer nextBatchSize,
            Double rowsPerSecond, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare("UPDATE tandem.backfill_checkpoints SET last_key = ?::jsonb, rows_done = rows_done + ?, "
                + "batches = batches + 1, batch_size = coalesce(?, batch_size), rows_per_second = coalesce(?, rows_per_second), "
                + "waiting_for = NULL, updated_at = ? WHERE step_id = ? AND last_key IS NOT DISTINCT FROM ?::jsonb", json(lastKey),
                rows, nextBatchSize, rowsPerSecond, ts(now), stepId, from == null ? null : json(from))) {
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The backfill waits ({@code reason}) or goes on again ({@code null}); {@code waitedMs} is added
     * to its time throttled.
     */
    public void checkpointWaiting(long stepId, String reason, long waitedMs, Instant now) throws SQLException {
        update("UPDATE tandem.backfill_checkpoints SET waiting_for = ?, throttled_ms = throttled_ms + ?, updated_at = ? "
                + "WHERE step_id = ?", reason, waitedMs, ts(now), stepId);
    }

    // ---- operator control of the running backfill

    public BackfillControl backfillControl() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT release_id, paused, settings::text, changed_by, changed_at, "
                + "version FROM tandem.backfill_control"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return BackfillControl.NONE;
            long release = rs.getLong(1);
            Long releaseId = rs.wasNull() ? null : release;
            return new BackfillControl(releaseId, rs.getBoolean(2), read(rs.getString(3),
                    new TypeReference<Map<String, String>>() {}), rs.getString(4), instant(rs, 5), rs.getLong(6));
        }
    }

    /** Replaces the control row (tests and first use; operators go through {@link #changeBackfillControl}). */
    public void setBackfillControl(BackfillControl control, Instant now) throws SQLException {
        update("INSERT INTO tandem.backfill_control (release_id, paused, settings, changed_by, changed_at, version) "
                + "VALUES (?, ?, ?::jsonb, ?, ?, 1) ON CONFLICT (singleton) DO UPDATE SET release_id = excluded.release_id, "
                + "paused = excluded.paused, settings = excluded.settings, changed_by = excluded.changed_by, "
                + "changed_at = excluded.changed_at, version = tandem.backfill_control.version + 1, refused = NULL",
                control.release(), control.paused(), json(new java.util.TreeMap<>(control.settings())), control.by(), ts(now));
    }

    /**
     * Changes the control row for {@code release} as {@code change} says, atomically: the row is
     * locked while it is read and rewritten, so two operators' changes at once both land. A row
     * left from another release counts as empty. Returns the row written (with its new version).
     */
    public BackfillControl changeBackfillControl(long release, java.util.function.UnaryOperator<BackfillControl> change,
            Instant now) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            update("INSERT INTO tandem.backfill_control (release_id, changed_at) VALUES (?, ?) ON CONFLICT (singleton) DO NOTHING",
                    release, ts(now));
            try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM tandem.backfill_control FOR UPDATE");
                    ResultSet rs = lock.executeQuery()) {
                rs.next();
            }
            BackfillControl current = backfillControl().forRelease(release);
            BackfillControl next = change.apply(current);
            setBackfillControl(new BackfillControl(release, next.paused(), next.settings(), next.by(), now), now);
            BackfillControl written = backfillControl();
            c.commit();
            return written;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The running backfill read {@code version}: it runs with {@code applied}, and refused the change for {@code refused}. */
    public void acknowledgeBackfillControl(long release, long version, Map<String, String> applied, String refused)
            throws SQLException {
        update("UPDATE tandem.backfill_control SET acked = greatest(acked, ?), applied = ?::jsonb, refused = ? "
                + "WHERE release_id = ?", version, json(new java.util.TreeMap<>(applied)), refused, release);
    }

    /** The running backfill's last answer, or empty before any. */
    public Optional<BackfillControl.Ack> backfillAck() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT acked, applied::text, refused FROM tandem.backfill_control");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new BackfillControl.Ack(rs.getLong(1), read(rs.getString(2),
                    new TypeReference<Map<String, String>>() {}), rs.getString(3)));
        }
    }

    public void deleteCheckpoint(long stepId) throws SQLException {
        update("DELETE FROM tandem.backfill_checkpoints WHERE step_id = ?", stepId);
    }

    // ---- events

    /** Appends to the event log; events are never updated or deleted. */
    public void append(long releaseId, Long stepId, EventType type, Map<String, ?> detail, Instant at) throws SQLException {
        update("INSERT INTO tandem.events (release_id, step_id, at, type, detail) VALUES (?, ?, ?, ?, ?::jsonb)",
                releaseId, stepId, ts(at), type.id(), json(detail));
    }

    public List<EventRecord> events(long releaseId) throws SQLException {
        List<EventRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, release_id, step_id, at, type, detail::text "
                + "FROM tandem.events WHERE release_id = ? ORDER BY id")) {
            ps.setLong(1, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long step = rs.getLong(3);
                    Long stepId = rs.wasNull() ? null : step;
                    out.add(new EventRecord(rs.getLong(1), rs.getLong(2), stepId, instant(rs, 4),
                            EventType.fromId(rs.getString(5)), read(rs.getString(6), new TypeReference<Map<String, Object>>() {})));
                }
            }
        }
        return out;
    }

    /** The release with its steps and checkpoints. */
    public Optional<ReleaseState> state(long releaseId) throws SQLException {
        Optional<ReleaseRecord> r = release(releaseId);
        if (r.isEmpty()) return Optional.empty();
        return Optional.of(new ReleaseState(r.get(), steps(releaseId), checkpoints(releaseId)));
    }

    // ---- plumbing

    private Optional<ReleaseRecord> oneRelease(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new ReleaseRecord(rs.getLong(1), rs.getString(2),
                    read(rs.getString(3), new TypeReference<List<String>>() {}), ReleaseStatus.fromId(rs.getString(4)),
                    instant(rs, 5), instant(rs, 6), instant(rs, 7)));
        }
    }

    private void update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params)) {
            ps.executeUpdate();
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p == null) ps.setNull(i + 1, Types.NULL); // untyped: the server infers the column type
                else ps.setObject(i + 1, p);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static StepRecord step(ResultSet rs) throws SQLException {
        boolean onlyIf = rs.getBoolean(17);
        Boolean onlyIfAnswer = rs.wasNull() ? null : onlyIf;
        return new StepRecord(rs.getLong(1), rs.getLong(2), Phase.fromId(rs.getString(3)), rs.getInt(4), rs.getString(5),
                rs.getInt(6), StepKind.fromId(rs.getString(7)), rs.getBoolean(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), StepStatus.fromId(rs.getString(13)), rs.getInt(14), rs.getString(15),
                rs.getString(16), onlyIfAnswer, instant(rs, 18), instant(rs, 19));
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        String last = rs.getString(2);
        String max = rs.getString(3);
        TypeReference<List<String>> strings = new TypeReference<>() {};
        int size = rs.getInt(7);
        Integer batchSize = rs.wasNull() ? null : size;
        long estimate = rs.getLong(9);
        Long rowsEstimate = rs.wasNull() ? null : estimate;
        double rate = rs.getDouble(10);
        Double rowsPerSecond = rs.wasNull() ? null : rate;
        return new Checkpoint(rs.getLong(1), last == null ? null : read(last, strings), max == null ? null : read(max, strings),
                rs.getLong(4), rs.getLong(5), instant(rs, 6), batchSize, rs.getString(8), rowsEstimate, rowsPerSecond,
                rs.getLong(11), rs.getString(12), instant(rs, 13));
    }

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not representable as JSON: " + value, e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the tandem state tables: " + json, e);
        }
    }
}
