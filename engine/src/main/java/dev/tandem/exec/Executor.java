package dev.tandem.exec;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.Phase;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.plan.Unplanned;
import dev.tandem.state.BackfillControl;
import dev.tandem.state.EventRecord;
import dev.tandem.state.EventType;
import dev.tandem.state.ReleaseRecord;
import dev.tandem.state.ReleaseSource;
import dev.tandem.state.ReleaseState;
import dev.tandem.state.ReleaseStatus;
import dev.tandem.state.StateSchema;
import dev.tandem.state.StateStore;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import dev.tandem.state.StepStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the phases of a {@link ReleasePlan} against the target database ({@code migrate apply}),
 * undoes them ({@code migrate rollback}) and reports where a release stands ({@code migrate status}).
 *
 * <p>A run holds the {@link RunLock} for its whole length, creates or upgrades the {@code tandem}
 * state schema under it, and records the plan as a release: its fingerprint ({@link Fingerprint})
 * and every step, pending. A later run with the same plan continues that release at its first
 * unfinished step; finished steps are never repeated. A different plan while the release is
 * unfinished is refused: the migration files changed under an applied expand.
 */
public final class Executor {
    private Executor() {}

    /**
     * Runs {@code phases} of the plan, in phase order, resuming the release recorded for it.
     *
     * @throws StepFailedException       a step failed (recorded; the next run resumes at it)
     * @throws RunLockHeldException      another run holds the lock
     * @throws ReleaseConflictException  the plan differs from the unfinished release, or an earlier
     *                                   phase is not done and not asked for
     */
    public static ApplyResult apply(ConnectionFactory factory, ReleasePlan plan, Set<Phase> phases, ExecOptions options) {
        return apply(factory, plan, List.of(), phases, options, ReleaseHistory.NONE);
    }

    /**
     * Runs {@code phases} of the plan as above, recording with a new release the plan itself and
     * the migrations it was made from ({@code sources}), and bringing the runner's {@code history}
     * up to date once every step is done.
     */
    public static ApplyResult apply(ConnectionFactory factory, ReleasePlan plan, List<ReleaseSource> sources,
                                    Set<Phase> phases, ExecOptions options, ReleaseHistory history) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(history, "history");
        requireExecutable(plan);
        Set<Phase> wanted = phases.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(phases);
        if (wanted.isEmpty()) throw new TandemException(ErrorCode.INVALID_ARGUMENT, "no phase to apply: name expand, backfill or contract");
        try (RunLock lock = RunLock.acquire(factory, options.waitForRunLock(), options.runLockWaitLimit(), options.clock());
                Connection work = open(factory)) {
            StateSchema.migrate(work);
            StateStore store = new StateStore(work);
            String fingerprint = Fingerprint.of(plan);
            ReleaseRecord release = store.unfinishedRelease().orElse(null);
            if (release != null && !release.fingerprint().equals(fingerprint)) {
                throw new ReleaseConflictException(planChanged(release, store.steps(release.id()), plan));
            }
            if (release == null) {
                Optional<ReleaseRecord> done = store.latestRelease(fingerprint, ReleaseStatus.DONE);
                if (done.isPresent()) {
                    return new ApplyResult(done.get(), outcomes(store.steps(done.get().id()), wanted, null));
                }
                release = store.createRelease(fingerprint, Fingerprint.migrations(plan), newSteps(plan), options.clock().instant(),
                        PlanCodec.encode(plan), sources);
            }
            long id = release.id();
            List<StepRecord> steps = store.steps(id);
            requireEarlierPhasesDone(steps, wanted);
            if (lock.waitedFor() != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("waitedMs", lock.waited().toMillis());
                d.put("holderPid", lock.waitedFor());
                store.append(id, null, EventType.LOCK_WAITED, d, options.clock().instant());
            }
            store.setReleaseStatus(id, ReleaseStatus.RUNNING, options.clock().instant());
            store.append(id, null, EventType.RUN_STARTED, Map.of("phases", wanted.stream().map(Phase::id).toList(),
                    "fingerprint", fingerprint), options.clock().instant());

            PhaseExecutor run = new PhaseExecutor(factory, work, store, options, id);
            Map<Long, ApplyResult.Outcome> outcomes = new LinkedHashMap<>();
            try {
                for (Phase phase : wanted) {
                    List<Step> planned = plan.steps(phase);
                    List<StepRecord> recorded = steps.stream().filter(s -> s.phase() == phase).toList();
                    for (int i = 0; i < planned.size(); i++) {
                        outcomes.put(recorded.get(i).id(), run.forward(recorded.get(i), planned.get(i)));
                    }
                }
            } catch (StepFailedException e) {
                try {
                    run.withState(s -> {
                        s.setReleaseStatus(id, ReleaseStatus.FAILED, options.clock().instant());
                        s.append(id, null, EventType.RUN_FINISHED, Map.of("status", ReleaseStatus.FAILED.id()),
                                options.clock().instant());
                    });
                } catch (SQLException | RuntimeException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            List<StepRecord> after = store.steps(id);
            ReleaseStatus status = after.stream().allMatch(s -> s.status().finished()) ? ReleaseStatus.DONE : ReleaseStatus.STOPPED;
            if (status == ReleaseStatus.DONE) recordHistory(store, id, history, options);
            store.setReleaseStatus(id, status, options.clock().instant());
            store.append(id, null, EventType.RUN_FINISHED, Map.of("status", status.id()), options.clock().instant());
            return new ApplyResult(store.release(id).orElseThrow(), outcomes(after, wanted, outcomes));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Undoes the steps of {@code phases} of the unfinished release, last first, each by its
     * rollback SQL under the same lock_timeout and retries as a step. Skipped and pending steps
     * need nothing. A non-transactional step that a run left running or failed is undone too (its
     * rollback is as harmless to repeat as the step). Stops at an irreversible step, which it names
     * with its reason; what it undid before stays undone and recorded.
     */
    public static RollbackResult rollback(ConnectionFactory factory, Set<Phase> phases, ExecOptions options) {
        Set<Phase> wanted = phases.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(phases);
        if (wanted.isEmpty()) throw new TandemException(ErrorCode.INVALID_ARGUMENT, "no phase to roll back: name expand, backfill or contract");
        try (RunLock lock = RunLock.acquire(factory, options.waitForRunLock(), options.runLockWaitLimit(), options.clock());
                Connection work = open(factory)) {
            StateSchema.migrate(work);
            StateStore store = new StateStore(work);
            ReleaseRecord release = store.unfinishedRelease().orElseThrow(() -> new ReleaseConflictException(
                    "nothing to roll back: no release is in progress in this database"));
            long id = release.id();
            List<StepRecord> steps = store.steps(id);
            Phase earliest = wanted.iterator().next();
            for (StepRecord s : steps) {
                if (s.phase().compareTo(earliest) > 0 && !wanted.contains(s.phase()) && mayHaveDoneSomething(s)) {
                    throw new ReleaseConflictException("cannot roll back " + earliest + " while " + s.phase()
                            + " has steps applied (first: migration " + s.migration() + ", line " + s.line()
                            + "): roll back " + s.phase() + " too, or first");
                }
            }
            store.setReleaseStatus(id, ReleaseStatus.RUNNING, options.clock().instant());
            store.append(id, null, EventType.ROLLBACK_STARTED, Map.of("phases", wanted.stream().map(Phase::id).toList()),
                    options.clock().instant());
            PhaseExecutor run = new PhaseExecutor(factory, work, store, options, id);
            List<Long> undone = new ArrayList<>();
            try {
                for (StepRecord s : steps.reversed()) {
                    if (!wanted.contains(s.phase())) continue;
                    if (s.status() == StepStatus.ROLLED_BACK) continue;
                    if (!mayHaveDoneSomething(s)) {
                        store.resetPending(s.id());
                        continue;
                    }
                    if (s.irreversible() != null) {
                        store.append(id, s.id(), EventType.ROLLBACK_STOPPED, Map.of("reason", s.irreversible()),
                                options.clock().instant());
                        throw new ReleaseConflictException("rollback stopped at migration " + s.migration() + ", line "
                                + s.line() + " (" + s.phase() + "), which cannot be undone: " + s.irreversible() + "\n  "
                                + s.sql().replace("\n", "\n  ") + "\n" + (undone.isEmpty() ? "Nothing was rolled back."
                                : undone.size() + " later step(s) were rolled back; the release stays in progress."));
                    }
                    run.undo(s);
                    undone.add(s.id());
                }
            } catch (StepFailedException | ReleaseConflictException e) {
                try {
                    run.withState(st -> st.setReleaseStatus(id,
                            e instanceof StepFailedException ? ReleaseStatus.FAILED : ReleaseStatus.STOPPED,
                            options.clock().instant()));
                } catch (SQLException | RuntimeException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            List<StepRecord> after = store.steps(id);
            ReleaseStatus status = after.stream().anyMatch(Executor::mayHaveDoneSomething) ? ReleaseStatus.STOPPED
                    : ReleaseStatus.ROLLED_BACK;
            store.setReleaseStatus(id, status, options.clock().instant());
            store.append(id, null, EventType.RUN_FINISHED, Map.of("status", status.id()), options.clock().instant());
            List<StepRecord> rolledBack = new ArrayList<>();
            for (Long s : undone) rolledBack.add(store.step(s));
            return new RollbackResult(store.release(id).orElseThrow(), rolledBack);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * The release a run would continue (neither done nor rolled back), with the plan and the
     * migrations it was recorded with; empty when there is none. Takes no lock: the run that
     * continues it checks again under the lock.
     */
    public static Optional<StoredRelease> unfinished(ConnectionFactory factory) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) == 0) return Optional.empty();
            StateStore store = new StateStore(c);
            Optional<ReleaseRecord> r = store.unfinishedRelease();
            if (r.isEmpty()) return Optional.empty();
            long id = r.get().id();
            // a release recorded by a state schema before version 2 has no stored plan
            ReleasePlan plan = store.plan(id).map(PlanCodec::decode).orElse(null);
            return Optional.of(new StoredRelease(r.get(), plan, store.sources(id)));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The migrations of every release that is done in this database: none of them is planned again. */
    public static List<ReleaseSource> appliedSources(ConnectionFactory factory) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) < 2) return List.of();
            return new StateStore(c).doneSources();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The newest release with its steps, or empty when none was ever recorded. Takes no lock. */
    public static Optional<ReleaseState> status(ConnectionFactory factory) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) == 0) return Optional.empty();
            StateStore store = new StateStore(c);
            Optional<ReleaseRecord> r = store.latestRelease();
            return r.isEmpty() ? Optional.empty() : store.state(r.get().id());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** One release with its steps, or empty. Takes no lock. */
    public static Optional<ReleaseState> status(ConnectionFactory factory, long releaseId) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) == 0) return Optional.empty();
            return new StateStore(c).state(releaseId);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * What operators asked of the backfills ({@code migrate backfill pause|resume|set}), or
     * {@link BackfillControl#NONE}. Takes no lock.
     */
    public static BackfillControl backfillControl(ConnectionFactory factory) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) < 3) return BackfillControl.NONE;
            return new StateStore(c).backfillControl();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Changes what operators ask of the backfills of {@code release} (pause, resume, settings), as
     * one locked read-modify-write, and returns the row written; the running backfill reads it
     * between batches, within a second, and acknowledges it ({@link #backfillAck}). Takes no run
     * lock: it must work while a run holds it.
     */
    public static BackfillControl changeBackfill(ConnectionFactory factory, long release,
            java.util.function.UnaryOperator<BackfillControl> change) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) < 3) {
                throw new TandemException(ErrorCode.RELEASE_CONFLICT, "this database's tandem schema is older than this migrate"
                        + " (version " + StateSchema.currentVersion(c) + "): the release under way was started by an older migrate,"
                        + " which cannot be paused or tuned from here");
            }
            return new StateStore(c).changeBackfillControl(release, change, java.time.Instant.now());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Whether a migrate run holds the run lock of this database now (a backfill can answer). */
    public static boolean runnerActive(ConnectionFactory factory) {
        try (Connection c = open(factory)) {
            return RunLock.holder(c) != null;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The running backfill's last answer to a change of the control row, or empty. */
    public static Optional<BackfillControl.Ack> backfillAck(ConnectionFactory factory) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) < 3) return Optional.empty();
            return new StateStore(c).backfillAck();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The event log of one release, oldest first. */
    public static List<EventRecord> events(ConnectionFactory factory, long releaseId) {
        try (Connection c = open(factory)) {
            if (StateSchema.currentVersion(c) == 0) return List.of();
            return new StateStore(c).events(releaseId);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // ---- helpers

    /** The runner's history, before the release is recorded done; a failure leaves it to the next run. */
    private static void recordHistory(StateStore store, long id, ReleaseHistory history, ExecOptions options)
            throws SQLException {
        List<ReleaseSource> sources = store.sources(id);
        try {
            history.record(sources);
        } catch (RuntimeException e) {
            store.setReleaseStatus(id, ReleaseStatus.STOPPED, options.clock().instant());
            store.append(id, null, EventType.RUN_FINISHED, Map.of("status", ReleaseStatus.STOPPED.id(),
                    "history", String.valueOf(e.getMessage())), options.clock().instant());
            throw new TandemException(ErrorCode.STEP_FAILED, "every step of release " + id + " is done, but the migration"
                    + " history could not be updated: " + e.getMessage() + " — fix that and run migrate apply again;"
                    + " it runs no step again, only records the release", e);
        }
        if (!sources.isEmpty()) {
            store.append(id, null, EventType.HISTORY_RECORDED, Map.of("migrations",
                    sources.stream().map(ReleaseSource::label).toList()), options.clock().instant());
        }
    }

    /** Done, or possibly half done: a non-transactional step (or backfill) a run left running or failed. */
    private static boolean mayHaveDoneSomething(StepRecord s) {
        return switch (s.status()) {
            case DONE -> true;
            case RUNNING, FAILED -> !s.transactional();
            case PENDING, SKIPPED, ROLLED_BACK -> false;
        };
    }

    private static void requireExecutable(ReleasePlan plan) {
        if (plan.executable()) return;
        Unplanned first = plan.unplanned().get(0);
        throw new TandemException(ErrorCode.INVALID_ARGUMENT, "the plan has " + plan.unplanned().size()
                + " statement(s) without steps (first: migration " + first.migration() + ", line " + first.line() + ": "
                + first.message() + "): a release runs whole or not at all; fix them first");
    }

    private static void requireEarlierPhasesDone(List<StepRecord> steps, Set<Phase> wanted) {
        for (Phase phase : wanted) {
            for (StepRecord s : steps) {
                if (s.phase().compareTo(phase) < 0 && !wanted.contains(s.phase()) && !s.status().finished()) {
                    throw new ReleaseConflictException(phase + " runs after " + s.phase() + ", which is not done (migration "
                            + s.migration() + ", line " + s.line() + " is " + s.status().id() + "): apply " + s.phase() + " first");
                }
            }
        }
    }

    private static List<StateStore.NewStep> newSteps(ReleasePlan plan) {
        List<StateStore.NewStep> out = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            List<Step> steps = plan.steps(phase);
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                out.add(switch (s) {
                    case SqlStep q -> new StateStore.NewStep(phase, i, q.migration(), q.line(), StepKind.of(q), q.transactional(),
                            q.sql(), q.rollback(), q.irreversible(), Fingerprint.of(q));
                    // a batch is a transaction of its own: not one transaction for the step
                    case BackfillStep b -> new StateStore.NewStep(phase, i, b.migration(), b.line(), StepKind.BACKFILL, false,
                            KeysetBackfill.describe(b), null, b.irreversible(), Fingerprint.of(b));
                });
            }
        }
        return out;
    }

    private static String planChanged(ReleaseRecord release, List<StepRecord> recorded, ReleasePlan plan) {
        Map<String, List<String>> before = new LinkedHashMap<>();
        for (StepRecord s : recorded) before.computeIfAbsent(s.migration(), k -> new ArrayList<>()).add(s.phase().id() + s.contentHash());
        Map<String, List<String>> now = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            for (Step s : plan.steps(p)) now.computeIfAbsent(s.migration(), k -> new ArrayList<>()).add(p.id() + Fingerprint.of(s));
        }
        Set<String> all = new LinkedHashSet<>(before.keySet());
        all.addAll(now.keySet());
        List<String> differences = new ArrayList<>();
        for (String m : all) {
            if (!now.containsKey(m)) differences.add("migration " + m + " is no longer in the plan");
            else if (!before.containsKey(m)) differences.add("migration " + m + " is new");
            else if (!before.get(m).equals(now.get(m))) differences.add("the steps of migration " + m + " differ");
        }
        if (differences.isEmpty()) differences.add("the order of the steps differs");
        return "the plan does not match release " + release.id() + ", which is not finished (" + release.status().id()
                + ", planned as " + release.fingerprint().substring(0, 12) + ", now " + Fingerprint.of(plan).substring(0, 12)
                + "): " + String.join(", ", differences) + ". The migration files changed after the release was applied in "
                + "part. Finish it, or roll it back, with the migration files it was planned from; then plan the change anew.";
    }

    private static List<ApplyResult.StepOutcome> outcomes(List<StepRecord> steps, Set<Phase> wanted,
            Map<Long, ApplyResult.Outcome> ran) {
        List<ApplyResult.StepOutcome> out = new ArrayList<>();
        for (StepRecord s : steps) {
            if (!wanted.contains(s.phase())) continue;
            ApplyResult.Outcome o = ran == null ? ApplyResult.Outcome.ALREADY_DONE : ran.get(s.id());
            if (o == null) continue;
            out.add(new ApplyResult.StepOutcome(s.phase(), s.ordinal(), s.migration(), s.line(), o, s.attempts()));
        }
        return out;
    }

    private static Connection open(ConnectionFactory factory) throws SQLException {
        Connection c = factory.connect();
        try {
            c.setAutoCommit(true);
            c.setClientInfo("ApplicationName", "tandem migrate");
            checkClientWhileRunning(c);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /**
     * A runner killed mid-statement (SIGKILL, a pod gone with its node) leaves its backend working:
     * PostgreSQL notices a dead client only when it next touches the socket, which a concurrent
     * index build does at its very end. That orphan holds its ShareUpdateExclusiveLock and makes the
     * next run's cleanup queue and retry for as long as the build takes. From 14 on the server can
     * poll the socket while a statement runs ({@code client_connection_check_interval}, Linux only)
     * and cancel the orphan within a second. Left alone when the session already has a value (the
     * URL's {@code options}, the role's or the database's settings): the operator's choice wins.
     */
    private static void checkClientWhileRunning(Connection c) throws SQLException {
        if (c.getMetaData().getDatabaseMajorVersion() < 14) return;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('client_connection_check_interval') = '0'")) {
            if (!rs.next() || !rs.getBoolean(1)) return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET client_connection_check_interval = '1s'");
        }
    }

    private static TandemException unavailable(SQLException e) {
        return new TandemException(ErrorCode.DATABASE_UNAVAILABLE, "the database failed outside a step: "
                + PhaseExecutor.serverMessage(e) + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"), e);
    }
}
