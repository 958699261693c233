package dev.tandem.exec;

import static dev.tandem.exec.ExecutorTest.database;
import static dev.tandem.exec.ExecutorTest.plan;
import static dev.tandem.exec.ExecutorTest.update;
import static dev.tandem.plan.Phase.BACKFILL;
import static dev.tandem.plan.Phase.EXPAND;
import static dev.tandem.testing.Sql.count;
import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.plan.ReleasePlan;
import dev.tandem.state.BackfillControl;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventRecord;
import dev.tandem.state.EventType;
import dev.tandem.state.StateStore;
import dev.tandem.state.StepRecord;
import dev.tandem.testing.TestDatabase;
import dev.tandem.throttle.Throttle;
import dev.tandem.throttle.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The backfill engine on a real PostgreSQL: batches split on their timeout, waits for the throttle
 * and for an operator's pause, takes new settings while it runs, reports progress and metrics.
 * Time is a test clock that the injected sleeper moves; no test sleeps for real except inside
 * PostgreSQL (pg_sleep, to make batches slow).
 */
class BackfillEngineTest {
    private static final String ITEMS = """
            CREATE TABLE items (id int PRIMARY KEY, v int, w int);
            INSERT INTO items (id, v) SELECT i, i FROM generate_series(1, 100) i;
            ANALYZE items;
            """;

    /** A clock that moves only when the executor sleeps. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final List<Duration> sleeps = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private ExecOptions options(Runnable onSleep) {
        return ExecOptions.DEFAULTS.withTime(d -> {
            sleeps.add(d);
            clock.now = clock.now.plus(d);
            onSleep.run();
        }, new SplittableRandom(7), clock).withMeters(meters);
    }

    private static ReleasePlan copyVIntoW() {
        return plan(List.of(), List.of(update("2", 1, "items", List.of("id"), "w = v", null)), List.of());
    }

    @Test
    void aBatchThatHitsItsTimeoutIsRolledBackAndSplitUntilItFits() throws SQLException {
        // every row costs 5 ms: 40 rows take 200 ms, over the 120 ms timeout; 20 rows (100 ms) fit
        try (TestDatabase db = database(ITEMS + """
                CREATE FUNCTION slow(int) RETURNS int LANGUAGE plpgsql AS $$
                    BEGIN PERFORM pg_sleep(0.005); RETURN $1; END $$;
                """)) {
            ReleasePlan plan = plan(List.of(), List.of(update("2", 1, "items", List.of("id"), "w = slow(v)", null)), List.of());
            ExecOptions o = options(() -> {}).withBackfill(BackfillOptions.DEFAULTS.withTargetBatchTime(Duration.ofMillis(60))
                    .withBatchTimeout(Duration.ofMillis(120)).withBatchRange(40, 40, 40));

            ApplyResult r = Executor.apply(db::connection, plan, Set.of(BACKFILL), o);

            List<EventRecord> events = Executor.events(db::connection, r.release().id());
            // each split halves the batch that timed out, and the size climbs back slowly after it
            assertThat(events).filteredOn(e -> e.type() == EventType.BACKFILL_BATCH_SPLIT).isNotEmpty()
                    .allSatisfy(e -> {
                        int rows = ((Number) e.detail().get("rows")).intValue();
                        assertThat(rows).isGreaterThanOrEqualTo(20); // 5 ms a row: fewer fit in the 120 ms timeout
                        assertThat(e.detail().get("nextRows")).isEqualTo(rows / 2);
                        assertThat(e.detail().get("error")).asString().contains("statement timeout");
                    });
            try (Connection c = db.connection()) {
                assertThat(count(c, "SELECT count(*) FROM items WHERE w = v")).isEqualTo(100);
            }
            Checkpoint k = Executor.status(db::connection).orElseThrow().checkpoints().get(0);
            assertThat(k.rowsDone()).as("rolled-back batches count nothing").isEqualTo(100);
        }
    }

    @Test
    void aSingleRowThatCannotFinishWithinTheTimeoutFailsTheStepSayingWhatToChange() throws SQLException {
        try (TestDatabase db = database(ITEMS + """
                CREATE FUNCTION slow(int) RETURNS int LANGUAGE plpgsql AS $$
                    BEGIN IF $1 = 3 THEN PERFORM pg_sleep(1); END IF; RETURN $1; END $$;
                """)) {
            ReleasePlan plan = plan(List.of(), List.of(update("2", 1, "items", List.of("id"), "w = slow(v)", null)), List.of());
            ExecOptions o = options(() -> {}).withBackfill(BackfillOptions.DEFAULTS.withTargetBatchTime(Duration.ofMillis(50))
                    .withBatchTimeout(Duration.ofMillis(200)).withBatchRange(8, 8, 8));

            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(BACKFILL), o))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("a batch of one row did not finish within the batch timeout (200ms)")
                    .hasMessageContaining("migrate backfill set batch-timeout=");
            try (Connection c = db.connection()) {
                // rows 1 and 2 went in batches of their own on the way down; nothing past them
                assertThat(rows(c, "SELECT id FROM items WHERE w IS NOT NULL ORDER BY id")).containsExactly("1", "2");
            }
        }
    }

    @Test
    void theThrottleStopsBatchesUntilItSaysGoAndTheWaitIsRecorded() throws SQLException {
        AtomicInteger checks = new AtomicInteger();
        // pauses on the third check for 5 polls (replication lag), then once more (another reason)
        Throttle scripted = new Throttle() {
            @Override
            public Verdict check(Instant now) {
                int n = checks.incrementAndGet();
                if (n >= 3 && n < 8) return new Verdict.Pause(List.of(new Verdict.Reason("replication-lag", "standby s1 replay 7 s > 2 s")));
                if (n == 8) return new Verdict.Pause(List.of(new Verdict.Reason("blocked-sessions", "1 session waited 2 s")));
                return Verdict.GO;
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofMillis(500);
            }

            @Override
            public void close() {}
        };
        try (TestDatabase db = database(ITEMS)) {
            List<Checkpoint> progress = new ArrayList<>();
            ExecOptions o = options(() -> {}).withBatchSize(10).withThrottle((connections, table, pid) -> {
                assertThat(table).isEqualTo("items");
                assertThat(pid).isPositive();
                return scripted;
            }).withListener(new ExecListener() {
                @Override
                public void on(EventType type, StepRecord step, Map<String, ?> detail) {}

                @Override
                public void progress(StepRecord step, Checkpoint p) {
                    progress.add(p);
                }
            });

            ApplyResult r = Executor.apply(db::connection, copyVIntoW(), Set.of(BACKFILL), o);

            List<EventRecord> events = Executor.events(db::connection, r.release().id());
            assertThat(events).filteredOn(e -> e.type() == EventType.BACKFILL_THROTTLED).extracting(e -> e.detail().get("reason"))
                    .containsExactly("replication-lag: standby s1 replay 7 s > 2 s", "blocked-sessions: 1 session waited 2 s");
            assertThat(events).filteredOn(e -> e.type() == EventType.BACKFILL_RESUMED).singleElement()
                    .satisfies(e -> assertThat(e.detail()).containsEntry("waitedMs", 3_000));
            assertThat(sleeps).containsOnly(Duration.ofMillis(500)).hasSize(6);
            Checkpoint k = Executor.status(db::connection).orElseThrow().checkpoints().get(0);
            assertThat(k.throttledMs()).isEqualTo(3_000);
            assertThat(k.waitingFor()).isNull();
            assertThat(k.rowsDone()).isEqualTo(100);
            // progress after every batch, counting up; metrics per table and reason
            assertThat(progress).extracting(Checkpoint::rowsDone).containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
            assertThat(progress.get(9).rowsEstimate()).isEqualTo(100L);
            assertThat(meters.get("tandem.backfill.rows").tag("table", "items").counter().count()).isEqualTo(100);
            assertThat(meters.get("tandem.backfill.batch").timer().count()).isEqualTo(10);
            assertThat(meters.get("tandem.backfill.throttled").tag("reason", "replication-lag").counter().count()).isEqualTo(2.0);
            assertThat(meters.get("tandem.backfill.waiting").gauge().value()).isZero();
        }
    }

    @Test
    void aCheckpointMovedUnderTheRunStopsItWithoutChangingMore() throws SQLException {
        try (TestDatabase db = database(ITEMS)) {
            // the walk carries its position; after the third batch something else moves the stored one
            ExecOptions o = options(() -> {}).withBatchSize(10).withListener(new ExecListener() {
                @Override
                public void on(EventType type, StepRecord step, Map<String, ?> detail) {}

                @Override
                public void progress(StepRecord step, Checkpoint p) {
                    if (p.rowsDone() != 30) return;
                    try (Connection c = db.connection(); var st = c.createStatement()) {
                        st.execute("UPDATE tandem.backfill_checkpoints SET last_key = '[\"60\"]'");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });

            assertThatThrownBy(() -> Executor.apply(db::connection, copyVIntoW(), Set.of(BACKFILL), o))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("the checkpoint of this backfill is no longer at [30], where this run left it");
            try (Connection c = db.connection()) {
                // the fourth batch was rolled back with the refused move: rows 31.. untouched
                assertThat(count(c, "SELECT count(*) FROM items WHERE w IS NOT NULL")).isEqualTo(30);
                assertThat(rows(c, "SELECT last_key::text FROM tandem.backfill_checkpoints")).containsExactly("[\"60\"]");
            }
        }
    }

    @Test
    void anOperatorPausesTheBackfillAndChangesItsBatchSizeWhileItRuns() throws SQLException {
        try (TestDatabase db = database(ITEMS)) {
            AtomicInteger slept = new AtomicInteger();
            long[] release = {0};
            ExecOptions o = options(() -> {
                // the other terminal: after 3 polls, resume with batches of 7
                if (slept.incrementAndGet() == 3) {
                    try (Connection c = db.connection()) {
                        new StateStore(c).setBackfillControl(new BackfillControl(release[0], false, Map.of("batch-size", "7"), "dba@laptop", null),
                                clock.now);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).withBatchSize(10);
            // the release exists (its expand, empty here, ran) and the operator paused its backfill
            release[0] = Executor.apply(db::connection, copyVIntoW(), Set.of(EXPAND), o).release().id();
            try (Connection c = db.connection()) {
                new StateStore(c).setBackfillControl(new BackfillControl(release[0], true, Map.of(), "dba@laptop", null), clock.now);
            }

            ApplyResult r = Executor.apply(db::connection, copyVIntoW(), Set.of(BACKFILL), o);

            List<EventRecord> events = Executor.events(db::connection, r.release().id());
            assertThat(events).filteredOn(e -> e.type() == EventType.BACKFILL_THROTTLED).singleElement()
                    .satisfies(e -> assertThat(e.detail().get("reason")).asString().startsWith("paused: paused by dba@laptop at "));
            assertThat(events).filteredOn(e -> e.type() == EventType.BACKFILL_SETTINGS_CHANGED).singleElement()
                    .satisfies(e -> assertThat(e.detail()).containsEntry("settings", Map.of("batch-size", "7")));
            Checkpoint k = Executor.status(db::connection).orElseThrow().checkpoints().get(0);
            assertThat(k.batches()).as("100 rows in batches of 7").isEqualTo(15);
            assertThat(k.batchSize()).isEqualTo(7);
            // the control interval is 1 s of the test clock: the pause is seen at once, the resume within a second
            assertThat(slept.get()).isBetween(3, 5);
        }
    }

    @Test
    void aNiceRatioRestsAfterEveryBatchInProportionToItsDuration() throws SQLException {
        try (TestDatabase db = database(ITEMS)) {
            ExecOptions o = options(() -> {}).withBackfill(BackfillOptions.DEFAULTS.fixed(10).withNiceRatio(2));
            Executor.apply(db::connection, copyVIntoW(), Set.of(BACKFILL), o);
            // ten batches, ten rests, each twice its batch (not zero: a batch takes some time)
            assertThat(sleeps).hasSize(10).allSatisfy(d -> assertThat(d).isPositive());
            assertThat(meters.get("tandem.backfill.batch").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                    .isCloseTo(sleeps.stream().mapToLong(Duration::toNanos).sum() / 2.0, org.assertj.core.data.Percentage.withPercentage(1));
            assertThat(Executor.status(db::connection).orElseThrow().checkpoints().get(0).rowsDone()).isEqualTo(100);
        }
    }

    @Test
    void anOperatorIsHeardDuringANiceRatioRest() throws SQLException {
        try (TestDatabase db = database(ITEMS)) {
            // each batch takes at least 50 ms, so with a nice ratio of 100 it is followed by 5 s (test clock) of rest
            ReleasePlan slow = plan(List.of(), List.of(update("2", 1, "items", List.of("id"), "w = v + (SELECT 0 FROM pg_sleep(0.05))",
                    null)), List.of());
            AtomicInteger slept = new AtomicInteger();
            long[] release = {0};
            long[] rowsDoneWhilePaused = {-1};
            ExecOptions o = options(() -> {
                int n = slept.incrementAndGet();
                try (Connection c = db.connection()) {
                    StateStore store = new StateStore(c);
                    // the other terminal, one second into the first rest: pause; two sleeps later: resume without rests
                    if (n == 1) store.setBackfillControl(new BackfillControl(release[0], true, Map.of(), "dba@laptop", null), clock.now);
                    if (n == 3) {
                        rowsDoneWhilePaused[0] = Executor.status(db::connection).orElseThrow().checkpoints().get(0).rowsDone();
                        store.setBackfillControl(new BackfillControl(release[0], false, Map.of("nice-ratio", "0"), "dba@laptop", null),
                                clock.now);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).withBackfill(BackfillOptions.DEFAULTS.fixed(50).withNiceRatio(100));
            release[0] = Executor.apply(db::connection, slow, Set.of(EXPAND), o).release().id();

            ApplyResult r = Executor.apply(db::connection, slow, Set.of(BACKFILL), o);

            assertThat(rowsDoneWhilePaused[0]).as("the pause came during the first batch's rest").isEqualTo(50);
            assertThat(Executor.events(db::connection, r.release().id()))
                    .filteredOn(e -> e.type() == EventType.BACKFILL_THROTTLED).singleElement()
                    .satisfies(e -> assertThat(e.detail().get("reason")).asString().startsWith("paused: paused by dba@laptop"));
            // a second of rest, the pause's polls until the next control read, then nice-ratio=0 ended the
            // rest at once and left none after the second batch: less than the 10 s the two rests would take
            assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(1));
            assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isLessThan(Duration.ofSeconds(5));
            assertThat(Executor.status(db::connection).orElseThrow().checkpoints().get(0).rowsDone()).isEqualTo(100);
        }
    }

    @Test
    void aPauseLeftFromAnEarlierReleaseIsNotObeyed() throws SQLException {
        try (TestDatabase db = database(ITEMS)) {
            long first = Executor.apply(db::connection, plan(List.of(ExecutorTest.tx("1", 1, "SELECT 1", null)), List.of(),
                    List.of()), Set.of(EXPAND, BACKFILL, dev.tandem.plan.Phase.CONTRACT), options(() -> {})).release().id();
            try (Connection c = db.connection()) {
                new StateStore(c).setBackfillControl(new BackfillControl(first, true, Map.of("batch-size", "3"), "x@y", null), clock.now);
            }
            ApplyResult r = Executor.apply(db::connection, copyVIntoW(), Set.of(EXPAND, BACKFILL), options(() -> {}).withBatchSize(50));
            assertThat(r.release().id()).isNotEqualTo(first);
            assertThat(sleeps).isEmpty();
            assertThat(Executor.status(db::connection).orElseThrow().checkpoints().get(0).batches()).isEqualTo(2);
        }
    }

    @Test
    void aNewSettingThatTheRunCannotTakeIsRecordedAndTheOldOnesStay() throws SQLException {
        try (TestDatabase db = database(ITEMS)) {
            long release = Executor.apply(db::connection, copyVIntoW(), Set.of(EXPAND), options(() -> {})).release().id();
            try (Connection c = db.connection()) {
                StateStore store = new StateStore(c);
                store.setBackfillControl(new BackfillControl(release, false, Map.of("speed", "ludicrous"), "x@y", null), clock.now);
            }
            ApplyResult r = Executor.apply(db::connection, copyVIntoW(), Set.of(BACKFILL), options(() -> {}).withBatchSize(25));
            assertThat(Executor.events(db::connection, r.release().id()))
                    .filteredOn(e -> e.type() == EventType.BACKFILL_SETTINGS_CHANGED).singleElement()
                    .satisfies(e -> assertThat(e.detail().get("refused")).asString().startsWith("there is no backfill setting 'speed'"));
            assertThat(Executor.status(db::connection).orElseThrow().checkpoints().get(0).batches()).isEqualTo(4);
        }
    }
}
