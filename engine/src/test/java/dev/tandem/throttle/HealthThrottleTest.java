package dev.tandem.throttle;

import static dev.tandem.testing.Sql.count;
import static dev.tandem.testing.Sql.execute;
import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthThrottle} on a real PostgreSQL: real blocked sessions, open transactions, vacuums,
 * replication slots and HTTP servers; time is driven through {@code check(Instant)}, so nothing
 * here waits for the throttle's intervals or pauses to pass. Replication lag needs a standby:
 * {@code StandbyThrottleIT}.
 */
class HealthThrottleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Every signal read at most once a second, released as soon as it is clear. */
    private static final ThrottleSettings EVERY_SECOND = ThrottleSettings.DEFAULTS.withIntervals(SECOND)
            .withMinPause(Duration.ZERO);

    private static Instant t(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    // ---- blocked sessions

    @Test
    void aSessionBlockedBehindTheBackfillPausesItUntilReleasedAndTheMinimumPausePassed() throws Exception {
        try (TestDatabase db = database(); Connection backfill = db.connection(); Connection app = db.connection()) {
            backfill.setAutoCommit(false);
            execute(backfill, "UPDATE t SET v = 1 WHERE id = 1");
            int backfillPid = pid(backfill);
            int appPid = pid(app);
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> run(app, "UPDATE t SET v = 2 WHERE id = 1"));
            try (Connection watcher = db.connection()) {
                await(watcher, "SELECT 1 FROM pg_locks WHERE pid = " + appPid
                        + " AND NOT granted AND waitstart < clock_timestamp() - interval '150 ms'");
            }
            ThrottleSettings s = EVERY_SECOND.withMaxBlockedWait(Duration.ofMillis(100)).withMinPause(Duration.ofSeconds(5));
            try (HealthThrottle throttle = open(db, backfillPid, s)) {
                assertThat(reasons(throttle.check(t(0)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("blocked-sessions");
                    assertThat(r.detail()).startsWith("pid " + appPid + " (").contains("for a lock of the backfill (pid "
                            + backfillPid + ") > 100 ms");
                });

                backfill.commit();
                blocked.get(10, TimeUnit.SECONDS);

                // read again at 1 s: no one waits, but the pause began at 0 and lasts 5 s
                assertThat(reasons(throttle.check(t(1)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("blocked-sessions");
                    assertThat(r.detail()).contains("minimum pause of 5 s until 2026-01-01T00:00:05Z");
                });
                assertThat(throttle.check(t(4.9))).isInstanceOf(Verdict.Pause.class);
                assertThat(throttle.check(t(5))).isEqualTo(Verdict.GO);
            }
        }
    }

    /**
     * Between two batches the backfill holds no lock, so a read then finds no one behind it: the
     * watch samples while the batch runs and hands the longest wait to the next check.
     */
    @Test
    void theWatchReportsAWaitThatEndedBeforeTheThrottleAsked() throws Exception {
        try (TestDatabase db = database(); Connection backfill = db.connection(); Connection app = db.connection();
                Connection reader = db.connection()) {
            backfill.setAutoCommit(false);
            execute(backfill, "UPDATE t SET v = 1 WHERE id = 1");
            int appPid = pid(app);
            BlockedSessions signal = new BlockedSessions(pid(backfill), Duration.ofMillis(100), SECOND, true);
            AtomicLong nanos = new AtomicLong();
            try (BlockedSessionsWatch watch = new BlockedSessionsWatch(signal, db::connection, SECOND, nanos::get)) {
                watch.sample();
                assertThat(watch.take().over()).isFalse();

                CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> run(app, "UPDATE t SET v = 2 WHERE id = 1"));
                await(reader, "SELECT 1 FROM pg_locks WHERE pid = " + appPid
                        + " AND NOT granted AND waitstart < clock_timestamp() - interval '150 ms'");
                watch.sample(); // mid-batch
                backfill.commit(); // the batch ends, and the wait with it
                blocked.get(10, TimeUnit.SECONDS);

                assertThat(signal.read(reader).over()).as("a read between batches sees nothing").isFalse();
                Reading seen = watch.take();
                assertThat(seen.over()).isTrue();
                assertThat(seen.detail()).startsWith("pid " + appPid + " (");

                watch.sample();
                assertThat(watch.take().over()).isFalse();
                // no new sample: the last reading stands, until the watch counts as stuck: three
                // intervals and two read timeouts (the longest a sample may take) without one
                nanos.addAndGet(Duration.ofSeconds(5).toNanos());
                assertThat(watch.take().over()).isFalse();
                nanos.addAndGet(Duration.ofSeconds(1).toNanos());
                assertThatThrownBy(watch::take).isInstanceOf(SQLException.class)
                        .hasMessage("the blocked-sessions watch has taken no sample for 6 s (interval 1 s)");
                watch.sample();
                assertThat(watch.take().over()).isFalse();
            }
        }
    }

    @Test
    void theFactorysThrottleWatchesBlockedSessionsOnItsOwnThread() throws Exception {
        try (TestDatabase db = database(); Connection backfill = db.connection(); Connection app = db.connection()) {
            backfill.setAutoCommit(false);
            execute(backfill, "UPDATE t SET v = 1 WHERE id = 1");
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> run(app, "UPDATE t SET v = 2 WHERE id = 1"));
            ThrottleSettings s = EVERY_SECOND.withMaxBlockedWait(Duration.ofMillis(100))
                    .withIntervals(SECOND, SECOND, Duration.ofMillis(20), SECOND, SECOND, SECOND);
            try (Throttle throttle = HealthThrottle.factory(s).open(db::connection, "t", pid(backfill))) {
                // real time here: the watch thread samples every 20 ms on its own
                assertThat(pollUntil(throttle, v -> v instanceof Verdict.Pause p
                        && p.reasons().get(0).signal().equals("blocked-sessions"))).isTrue();
                try (Connection c = db.connection()) {
                    assertThat(rows(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tandem throttle'"))
                            .as("the monitoring session and the watch's").containsExactly("2");
                }
                backfill.commit();
                blocked.get(10, TimeUnit.SECONDS);
                assertThat(pollUntil(throttle, v -> v == Verdict.GO)).isTrue();
            }
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tandem throttle'"))
                        .as("closed").containsExactly("0");
            }
        }
    }

    // ---- long transactions

    @Test
    void aTransactionOpenLongerThanTheLimitPausesUntilItEnds() throws Exception {
        try (TestDatabase db = database(); Connection old = db.connection(); Connection reader = db.connection()) {
            old.setAutoCommit(false);
            execute(old, "SELECT 1");
            int oldPid = pid(old);
            await(reader, "SELECT 1 FROM pg_stat_activity WHERE pid = " + oldPid
                    + " AND xact_start < clock_timestamp() - interval '300 ms'");
            try (HealthThrottle throttle = open(db, 0, EVERY_SECOND.withMaxTransactionAge(Duration.ofMillis(200), 1_000_000))) {
                assertThat(reasons(throttle.check(t(0)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("long-transactions");
                    assertThat(r.detail()).startsWith("pid " + oldPid + " (PostgreSQL JDBC Driver, idle in transaction): "
                            + "transaction open ").contains(" > 200 ms");
                });
                old.commit();
                assertThat(throttle.check(t(0.5))).as("not read again before its interval").isInstanceOf(Verdict.Pause.class);
                assertThat(throttle.check(t(1))).isEqualTo(Verdict.GO);
            }
        }
    }

    @Test
    void aSnapshotHeldWhileTransactionIdsAreUsedUpPausesOnXminAge() throws Exception {
        try (TestDatabase db = database(); Connection old = db.connection(); Connection writer = db.connection()) {
            old.setAutoCommit(false);
            old.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            execute(old, "SELECT count(*) FROM t"); // takes the snapshot: backend_xmin
            for (int i = 0; i < 6; i++) execute(writer, "SELECT txid_current()");
            try (HealthThrottle throttle = open(db, 0, EVERY_SECOND.withMaxTransactionAge(Duration.ofHours(1), 5))) {
                assertThat(reasons(throttle.check(t(0)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("long-transactions");
                    assertThat(r.detail()).startsWith("pid " + pid(old) + " (").contains(" xids > 5 xids");
                });
                old.commit();
                assertThat(throttle.check(t(1))).isEqualTo(Verdict.GO);
            }
        }
    }

    @Test
    void transactionsOfOtherDatabasesAndTheBackfillsOwnDoNotCount() throws Exception {
        try (TestDatabase db = database(); TestDatabase other = PostgresHarness.get().newDatabase();
                Connection elsewhere = other.connection(); Connection backfill = db.connection()) {
            elsewhere.setAutoCommit(false);
            execute(elsewhere, "SELECT txid_current()");
            backfill.setAutoCommit(false);
            execute(backfill, "SELECT txid_current()");
            try (Connection reader = db.connection()) {
                await(reader, "SELECT 1 FROM pg_stat_activity WHERE pid IN (" + pid(elsewhere) + ", " + pid(backfill)
                        + ") HAVING min(xact_start) < clock_timestamp() - interval '50 ms'");
            }
            try (HealthThrottle throttle = open(db, pid(backfill), EVERY_SECOND.withMaxTransactionAge(Duration.ofMillis(10), 1_000_000))) {
                assertThat(throttle.check(t(0))).isEqualTo(Verdict.GO);
            }
            elsewhere.rollback();
            backfill.rollback();
        }
    }

    // ---- vacuum

    @Test
    void aVacuumOnTheTablePausesUnlessOrdinaryVacuumsAreAllowed() throws Exception {
        try (TestDatabase db = database(); Connection vacuum = db.connection(); Connection reader = db.connection()) {
            execute(reader, "INSERT INTO t SELECT i, 0 FROM generate_series(3, 20000) i");
            // a manual VACUUM slowed to a crawl: 100 ms after every page, so it is still running when read
            execute(vacuum, "SET vacuum_cost_delay = 100; SET vacuum_cost_limit = 1");
            int vacuumPid = pid(vacuum);
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> run(vacuum, "VACUUM t"));
            await(reader, "SELECT 1 FROM pg_stat_progress_vacuum WHERE relid = 't'::regclass");
            try (HealthThrottle paused = open(db, 0, EVERY_SECOND);
                    HealthThrottle allowed = open(db, 0, EVERY_SECOND.withPauseForVacuum(false))) {
                assertThat(reasons(paused.check(t(0)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("autovacuum");
                    assertThat(r.detail()).startsWith("VACUUM (pid " + vacuumPid + ") on t, phase ");
                });
                assertThat(allowed.check(t(0))).isEqualTo(Verdict.GO);

                execute(reader, "SELECT pg_cancel_backend(" + vacuumPid + ")");
                assertThat(running).failsWithin(Duration.ofSeconds(10));
                assertThat(paused.check(t(1))).isEqualTo(Verdict.GO);
            }
        }
    }

    @Test
    void anAntiWraparoundAutovacuumIsRecognisedByItsActivityText() {
        assertThat(AutovacuumOnTable.antiWraparound("autovacuum: VACUUM public.t (to prevent wraparound)")).isTrue();
        assertThat(AutovacuumOnTable.antiWraparound("autovacuum: VACUUM ANALYZE public.t (to prevent wraparound)")).isTrue();
        assertThat(AutovacuumOnTable.antiWraparound("autovacuum: VACUUM public.t")).isFalse();
        assertThat(AutovacuumOnTable.antiWraparound("VACUUM t -- (to prevent wraparound)")).isFalse();
        assertThat(AutovacuumOnTable.antiWraparound(null)).isFalse();
    }

    // ---- user checks

    @Test
    void theSqlCheckPausesOnTrueOrNonZeroGoesOnFalseZeroNullOrNoRowAndFailsClosed() throws Exception {
        try (TestDatabase db = database(); Connection c = db.connection()) {
            execute(c, "CREATE TABLE health (flag text)");
            ThrottleSettings s = EVERY_SECOND.withSqlCheck("SELECT flag::boolean FROM health");
            try (HealthThrottle throttle = open(db, 0, s)) {
                assertThat(throttle.check(t(0))).as("no row").isEqualTo(Verdict.GO);

                execute(c, "INSERT INTO health VALUES ('true')");
                assertThat(reasons(throttle.check(t(1)))).singleElement()
                        .isEqualTo(new Verdict.Reason("sql-check", "the SQL check returned true (pause)"));

                execute(c, "UPDATE health SET flag = 'false'");
                assertThat(throttle.check(t(2))).isEqualTo(Verdict.GO);

                execute(c, "UPDATE health SET flag = NULL");
                assertThat(throttle.check(t(3))).isEqualTo(Verdict.GO);

                execute(c, "DROP TABLE health");
                assertThat(reasons(throttle.check(t(4)))).singleElement().isEqualTo(new Verdict.Reason("sql-check-unreadable",
                        "ERROR: relation \"health\" does not exist (SQLSTATE 42P01)"));
            }
            try (HealthThrottle numbers = open(db, 0, EVERY_SECOND.withSqlCheck("SELECT 3 - count(*) FROM pg_class WHERE relname = 't'"))) {
                assertThat(reasons(numbers.check(t(0)))).singleElement()
                        .isEqualTo(new Verdict.Reason("sql-check", "the SQL check returned 2 (pause)"));
            }
            try (HealthThrottle zero = open(db, 0, EVERY_SECOND.withSqlCheck("SELECT 0.0"))) {
                assertThat(zero.check(t(0))).isEqualTo(Verdict.GO);
            }
            try (HealthThrottle text = open(db, 0, EVERY_SECOND.withSqlCheck("SELECT 'maybe'"))) {
                assertThat(reasons(text.check(t(0)))).singleElement().isEqualTo(new Verdict.Reason("sql-check-unreadable",
                        "the SQL check's first column is 'maybe', neither a boolean nor a number"));
            }
        }
    }

    @Test
    void theSqlCheckRunsReadOnlyAndUnderTheReadTimeout() throws Exception {
        try (TestDatabase db = database()) {
            try (HealthThrottle writes = open(db, 0, EVERY_SECOND.withSqlCheck("UPDATE t SET v = 9 RETURNING true"))) {
                assertThat(reasons(writes.check(t(0)))).singleElement().isEqualTo(new Verdict.Reason("sql-check-unreadable",
                        "ERROR: cannot execute UPDATE in a read-only transaction (SQLSTATE 25006)"));
            }
            // nor can it switch the session back to read-write first (found by QA: it could, through
            // default_transaction_read_only), nor smuggle in a second statement
            try (HealthThrottle sneaky = open(db, 0, EVERY_SECOND.withSqlCheck(
                    "WITH x AS (SELECT set_config('default_transaction_read_only', 'off', false)) UPDATE t SET v = 9 RETURNING true"))) {
                assertThat(reasons(sneaky.check(t(0)))).singleElement().satisfies(r -> assertThat(r.detail())
                        .contains("read-only transaction"));
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EVERY_SECOND.withSqlCheck(
                    "SET TRANSACTION READ WRITE; CREATE TABLE pwned (x int); SELECT 0"))
                    .hasMessageStartingWith("the SQL check must be one query, not several statements");
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT count(*) FROM t WHERE v = 9")).containsExactly("0");
            }
            try (HealthThrottle hangs = open(db, 0, EVERY_SECOND.withSqlCheck("SELECT pg_sleep(5) IS NULL")
                    .withReadTimeout(Duration.ofMillis(100)))) {
                assertThat(reasons(hangs.check(t(0)))).singleElement().isEqualTo(new Verdict.Reason("sql-check-unreadable",
                        "ERROR: canceling statement due to statement timeout (SQLSTATE 57014)"));
            }
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT v FROM t ORDER BY id")).containsExactly("0", "0");
            }
        }
    }

    @Test
    void theHttpCheckGoesOn2xxAndPausesOnAnythingElseOrNoAnswer() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            byte[] body = (status.get() == 200 ? "ok" : "replica lag 12 s\nmore").getBytes(StandardCharsets.UTF_8);
            if (status.get() == 204) {
                exchange.sendResponseHeaders(204, -1); // no body
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/hangs", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        ExecutorService handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        URI health = URI.create(base + "/health");
        URI hangs = URI.create(base + "/hangs");
        try (TestDatabase db = database();
                HealthThrottle throttle = open(db, 0, EVERY_SECOND.withHttpCheck(health, Duration.ofSeconds(2)));
                HealthThrottle slow = open(db, 0, EVERY_SECOND.withHttpCheck(hangs, Duration.ofMillis(200)))) {
            assertThat(throttle.check(t(0))).isEqualTo(Verdict.GO);

            status.set(503);
            assertThat(reasons(throttle.check(t(1)))).singleElement()
                    .isEqualTo(new Verdict.Reason("http-check", health + " answered 503: replica lag 12 s"));

            status.set(204);
            assertThat(throttle.check(t(2))).isEqualTo(Verdict.GO);

            status.set(302);
            assertThat(reasons(throttle.check(t(3)))).extracting(Verdict.Reason::signal).containsExactly("http-check");

            status.set(200);
            assertThat(throttle.check(t(4))).isEqualTo(Verdict.GO);

            assertThat(reasons(slow.check(t(0)))).singleElement().isEqualTo(new Verdict.Reason("http-check-unreadable",
                    "no answer from " + hangs + " within 200 ms"));

            release.countDown();
            server.stop(0);
            assertThat(reasons(throttle.check(t(5)))).singleElement().satisfies(r -> {
                assertThat(r.signal()).isEqualTo("http-check-unreadable");
                assertThat(r.detail()).startsWith("cannot reach " + health + ": ");
            });
        } finally {
            release.countDown();
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    // ---- hysteresis, intervals, minimum pause

    /**
     * Slot retention is the one signal whose value a test can set exactly on a live server: a
     * temporary physical slot keeps WAL from where it was created, and
     * {@code pg_replication_slot_advance} moves it on to any position.
     */
    @Test
    void aSignalThatPausedTheBackfillReleasesItOnlyAtOrBelowTheHysteresisLevel() throws Exception {
        // margins of megabytes: other sessions of the shared test server write WAL too
        long limit = 32 * ThrottleSettings.MB;
        try (TestDatabase db = database(); Connection c = db.connection()) {
            String slot = "tandem_test_" + UUID.randomUUID().toString().replace("-", "");
            execute(c, "SELECT pg_create_physical_replication_slot('" + slot + "', true, true)"); // temporary
            execute(c, "CREATE TABLE filler (x text)");
            execute(c, "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 40000)"); // ~40 MB of WAL
            ThrottleSettings s = EVERY_SECOND.withMaxSlotRetentionBytes(limit).withHysteresis(0.8);
            try (HealthThrottle throttle = open(db, 0, s)) {
                retain(c, slot, limit * 9 / 10);
                assertThat(throttle.check(t(0))).as("90%: under the limit, not holding").isEqualTo(Verdict.GO);

                execute(c, "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 6000)");
                assertThat(reasons(throttle.check(t(1)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("slot-retention");
                    assertThat(r.detail()).startsWith("slot " + slot + " (physical, active) retains ").endsWith(" of WAL > 32 MB");
                });

                retain(c, slot, limit * 9 / 10);
                assertThat(reasons(throttle.check(t(2)))).singleElement().satisfies(r -> assertThat(r.detail())
                        .startsWith("slot " + slot + " (physical, active) retains 28.8 MB of WAL, limit 32 MB")
                        .endsWith("(holding until at or below 80% of the limit)"));

                retain(c, slot, limit * 85 / 100);
                assertThat(throttle.check(t(3))).as("85%: still holding").isInstanceOf(Verdict.Pause.class);

                retain(c, slot, limit * 7 / 10);
                assertThat(throttle.check(t(3.5))).as("not read again before its interval").isInstanceOf(Verdict.Pause.class);
                assertThat(throttle.check(t(4))).isEqualTo(Verdict.GO);

                // a slot cannot go back: more WAL (8 MB past 22.4) and an advance take it to 90%
                // again, which does not pause a backfill that is going
                execute(c, "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 8000)");
                retain(c, slot, limit * 9 / 10);
                assertThat(throttle.check(t(5))).isEqualTo(Verdict.GO);
            }
        }
    }

    @Test
    void aReadingReleasesAtOrBelowTheFractionOfItsLimit() {
        assertThat(Reading.of(8, 10, "").clear(0.8)).isTrue();
        assertThat(Reading.of(8.001, 10, "").clear(0.8)).isFalse();
        assertThat(Reading.of(0, 0, "").clear(0.8)).as("a flag that is off").isTrue();
        assertThat(Reading.of(1, 0, "").over()).as("a flag that is on").isTrue();
        assertThat(new Reading(5, 10, true, "over for another reason (a standby not streaming)").clear(0.8)).isFalse();
        assertThatThrownBy(() -> Reading.of(Double.NaN, 1, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPauseLastsAtLeastTheMinimumPauseAndAGoIsAnsweredFromTheCache() throws Exception {
        try (TestDatabase db = database(); Connection c = db.connection()) {
            execute(c, "CREATE TABLE health (busy boolean); INSERT INTO health VALUES (true)");
            ThrottleSettings s = EVERY_SECOND.withSqlCheck("SELECT busy FROM health").withMinPause(Duration.ofSeconds(3));
            try (HealthThrottle throttle = open(db, 0, s)) {
                assertThat(throttle.check(t(10))).isInstanceOf(Verdict.Pause.class);
                execute(c, "UPDATE health SET busy = false");
                assertThat(reasons(throttle.check(t(11)))).singleElement().satisfies(r -> {
                    assertThat(r.signal()).isEqualTo("sql-check");
                    assertThat(r.detail()).isEqualTo("the SQL check returned true (pause) (back under its limit; "
                            + "minimum pause of 3 s until 2026-01-01T00:00:13Z)");
                });
                assertThat(throttle.check(t(12.999))).isInstanceOf(Verdict.Pause.class);
                assertThat(throttle.check(t(13))).isEqualTo(Verdict.GO);

                execute(c, "UPDATE health SET busy = true");
                assertThat(throttle.check(t(13.9))).as("read at 13 s, due at 14 s").isEqualTo(Verdict.GO);
                assertThat(throttle.check(t(14))).isInstanceOf(Verdict.Pause.class);
            }
        }
    }

    // ---- failing closed

    @Test
    void aBrokenMonitoringSessionIsAPauseAndIsOpenedAgain() throws Exception {
        try (TestDatabase db = database(); Connection c = db.connection()) {
            AtomicInteger connects = new AtomicInteger();
            try (HealthThrottle throttle = HealthThrottle.open(() -> {
                connects.incrementAndGet();
                return db.connection();
            }, "t", 0, EVERY_SECOND.withIntervals(Duration.ofSeconds(10)), false)) {
                assertThat(throttle.check(t(0))).isEqualTo(Verdict.GO);
                String pid = rows(c, "SELECT pid FROM pg_stat_activity WHERE application_name = 'tandem throttle'").get(0);
                execute(c, "SELECT pg_terminate_backend(" + pid + ")");

                Verdict broken = throttle.check(t(10));
                assertThat(reasons(broken)).extracting(Verdict.Reason::signal).startsWith("replication-lag-unreadable");
                assertThat(reasons(broken).get(0).detail()).containsAnyOf("terminat", "I/O error", "connection");
                // a failed read is tried again after a second, not after its 10 s interval
                assertThat(throttle.check(t(10.5))).isInstanceOf(Verdict.Pause.class);
                assertThat(throttle.check(t(11))).isEqualTo(Verdict.GO);
                assertThat(rows(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tandem throttle'"))
                        .containsExactly("1");

                // a server that refuses connections: one attempt per check, every signal unreadable
                // (the database is closed from another one: not allowed from inside)
                try (TestDatabase other = PostgresHarness.get().newDatabase(); Connection admin = other.connection()) {
                    execute(admin, "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
                }
                pid = rows(c, "SELECT pid FROM pg_stat_activity WHERE application_name = 'tandem throttle'").get(0);
                execute(c, "SELECT pg_terminate_backend(" + pid + ")");
                int before = connects.get();
                List<Verdict.Reason> refused = reasons(throttle.check(t(30)));
                assertThat(refused).extracting(Verdict.Reason::signal).containsExactly("replication-lag-unreadable",
                        "slot-retention-unreadable", "blocked-sessions-unreadable", "long-transactions-unreadable",
                        "autovacuum-unreadable");
                assertThat(refused.subList(1, 5)).extracting(Verdict.Reason::detail).allSatisfy(d -> assertThat(d)
                        .startsWith("cannot open the monitoring session: FATAL: database \"" + db.name()
                                + "\" is not currently accepting connections"));
                assertThat(connects.get() - before).isEqualTo(1);

                execute(c, "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true"); // allowed from inside
                assertThat(throttle.check(t(31))).isEqualTo(Verdict.GO);
            }
        }
    }

    @Test
    void aRoleThatCannotSeeOtherSessionsIsRefusedUpFront() throws Exception {
        String role = "tandem_thr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (TestDatabase db = database(); Connection admin = db.connection()) {
            execute(admin, "CREATE ROLE " + role + " LOGIN PASSWORD 'secret'");
            try {
                Properties p = new Properties();
                p.setProperty("user", role);
                p.setProperty("password", "secret");
                assertThatThrownBy(() -> HealthThrottle.open(() -> DriverManager.getConnection(db.jdbcUrl(), p), "t", 0,
                        ThrottleSettings.DEFAULTS, false))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                        .hasMessage("the backfill throttle cannot read replication-lag, blocked-sessions, long-transactions, "
                                + "autovacuum: role " + role + " does not have the privileges of pg_read_all_stats, so "
                                + "PostgreSQL hides other sessions' statistics from it (GRANT pg_monitor TO " + role
                                + ", or run migrate apply with --no-throttle)");
                // the factory's check, for migrate apply to make before anything runs, says the same
                try (Connection weak = DriverManager.getConnection(db.jdbcUrl(), p)) {
                    assertThatThrownBy(() -> HealthThrottle.factory(ThrottleSettings.DEFAULTS).checkPrivileges(weak))
                            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                            .hasMessage("the backfill throttle cannot read replication-lag, blocked-sessions, long-transactions, "
                                    + "autovacuum: role " + role + " does not have the privileges of pg_read_all_stats, so "
                                    + "PostgreSQL hides other sessions' statistics from it (GRANT pg_monitor TO " + role
                                    + ", or run migrate apply with --no-throttle)");
                }
                execute(admin, "GRANT pg_monitor TO " + role);
                try (HealthThrottle throttle = HealthThrottle.open(() -> DriverManager.getConnection(db.jdbcUrl(), p), "t", 0,
                        ThrottleSettings.DEFAULTS, false); Connection granted = DriverManager.getConnection(db.jdbcUrl(), p)) {
                    assertThat(throttle.check(t(0))).isEqualTo(Verdict.GO);
                    HealthThrottle.factory(ThrottleSettings.DEFAULTS).checkPrivileges(granted);
                    assertThat(throttle.signals().stream().filter(Signal::needsStatsPrivilege).map(Signal::id).toList())
                            .as("the factory's check names the signals that need the privilege")
                            .isEqualTo(HealthThrottle.STATS_SIGNALS);
                }
            } finally {
                execute(admin, "DROP ROLE " + role);
            }
        }
    }

    @Test
    void aTableThatDoesNotExistIsRefusedUpFront() throws Exception {
        try (TestDatabase db = database()) {
            assertThatThrownBy(() -> HealthThrottle.open(db::connection, "missing", 0, ThrottleSettings.DEFAULTS, false))
                    .isInstanceOf(SQLException.class).hasMessageContaining("relation \"missing\" does not exist");
            try (Connection c = db.connection()) {
                assertThat(count(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tandem throttle'"))
                        .as("nothing left open").isZero();
            }
        }
    }

    @Test
    void aHealthyServerLetsTheBackfillGo() throws Exception {
        try (TestDatabase db = database(); HealthThrottle throttle = open(db, 0, ThrottleSettings.DEFAULTS)) {
            assertThat(throttle.signals()).extracting(Signal::id).containsExactly("replication-lag", "slot-retention",
                    "blocked-sessions", "long-transactions", "autovacuum");
            assertThat(throttle.check(t(0))).isEqualTo(Verdict.GO);
            assertThat(throttle.check(t(0.2))).isEqualTo(Verdict.GO);
        }
    }

    // ---- helpers

    private static HealthThrottle open(TestDatabase db, int backfillPid, ThrottleSettings s) throws SQLException {
        return HealthThrottle.open(db::connection, "t", backfillPid, s, false);
    }

    private static TestDatabase database() throws SQLException {
        TestDatabase db = PostgresHarness.get().newDatabase();
        try (Connection c = db.connection()) {
            execute(c, "CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0)");
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static List<Verdict.Reason> reasons(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.Pause.class);
        return ((Verdict.Pause) v).reasons();
    }

    private static int pid(Connection c) throws SQLException {
        return (int) count(c, "SELECT pg_backend_pid()");
    }

    /** Moves the slot so that it retains {@code bytes} of WAL behind the current write position. */
    private static void retain(Connection c, String slot, long bytes) throws SQLException {
        long current = lsn(rows(c, "SELECT pg_current_wal_lsn()::text").get(0));
        execute(c, "SELECT pg_replication_slot_advance('" + slot + "', '" + lsn(current - bytes) + "')");
    }

    private static long lsn(String text) {
        String[] parts = text.split("/");
        return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    }

    private static String lsn(long value) {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }

    private static void run(Connection c, String sql) {
        try {
            execute(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code query} returns a row (another session reached the state it names). */
    private static void await(Connection c, String query) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (rows(c, query).isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError("never true: " + query);
            Thread.sleep(10);
        }
    }

    /** Real time: checks every 10 ms, each with the current time, until {@code done} says so. */
    private static boolean pollUntil(Throttle throttle, java.util.function.Predicate<Verdict> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (done.test(throttle.check(Instant.now()))) return true;
            Thread.sleep(10);
        }
        return false;
    }
}
