package dev.tandem.exec;

import static dev.tandem.testing.Sql.rows;
import static dev.tandem.plan.Phase.BACKFILL;
import static dev.tandem.plan.Phase.CONTRACT;
import static dev.tandem.plan.Phase.EXPAND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.classify.PgVersion;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventRecord;
import dev.tandem.state.EventType;
import dev.tandem.state.ReleaseState;
import dev.tandem.state.ReleaseStatus;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import dev.tandem.state.StepStatus;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Executor} on a real PostgreSQL, each test in a database of its own. Sleeps are injected. */
class ExecutorTest {
    private static final Set<Phase> ALL = EnumSet.allOf(Phase.class);

    private static final String ORDERS = """
            CREATE TABLE orders (id bigint PRIMARY KEY, amount int NOT NULL);
            INSERT INTO orders SELECT i, i FROM generate_series(1, 25) i;
            """;
    private static final SqlStep.Cleanup INVALID_ORDERS_AMOUNT = new SqlStep.Cleanup(
            "SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('orders_amount') AND NOT indisvalid",
            "DROP INDEX CONCURRENTLY IF EXISTS orders_amount");

    private final List<Duration> sleeps = new ArrayList<>();
    private ExecOptions options = ExecOptions.DEFAULTS
            .withTime(sleeps::add, new SplittableRandom(7), Clock.systemUTC())
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .withBatchSize(10);

    @Test
    void appliesEveryPhaseAndARerunRepeatsNothing() throws SQLException {
        try (TestDatabase db = database(ORDERS)) {
            ReleasePlan plan = plan(
                    List.of(tx("2", 1, "ALTER TABLE orders ADD COLUMN total bigint", "ALTER TABLE orders DROP COLUMN IF EXISTS total"),
                            auto("2", 3, "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_amount ON orders (amount)",
                                    "DROP INDEX CONCURRENTLY IF EXISTS orders_amount", INVALID_ORDERS_AMOUNT),
                            // several statements that commit together; the last one shows the settings inside
                            tx("3", 1, """
                                    ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;
                                    ALTER TABLE orders VALIDATE CONSTRAINT amount_positive;
                                    CREATE TABLE seen_validate AS SELECT current_setting('lock_timeout') AS lt,
                                        current_setting('statement_timeout') AS st""", null),
                            tx("3", 5, "CREATE TABLE seen_ddl AS SELECT current_setting('lock_timeout') AS lt, "
                                    + "current_setting('statement_timeout') AS st", "DROP TABLE seen_ddl"),
                            guarded("3", 7, "CREATE TABLE never (x int)", "SELECT 1 WHERE false")),
                    List.of(update("2", 2, "orders", List.of("id"), "total = amount * 2", null)),
                    List.of(tx("2", 4, "CREATE TABLE seen_contract AS SELECT current_setting('lock_timeout') AS lt, "
                            + "current_setting('statement_timeout') AS st", "DROP TABLE seen_contract")));

            ApplyResult first = Executor.apply(db::connection, plan, ALL, options);

            assertThat(first.release().status()).isEqualTo(ReleaseStatus.DONE);
            assertThat(first.steps()).extracting(ApplyResult.StepOutcome::outcome).containsExactly(
                    ApplyResult.Outcome.RAN, ApplyResult.Outcome.RAN, ApplyResult.Outcome.RAN, ApplyResult.Outcome.RAN,
                    ApplyResult.Outcome.SKIPPED, ApplyResult.Outcome.RAN, ApplyResult.Outcome.RAN);
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT id FROM orders WHERE total IS DISTINCT FROM amount * 2")).isEmpty();
                assertThat(rows(c, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'orders_amount'::regclass"))
                        .containsExactly("true");
                assertThat(rows(c, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'amount_positive'"))
                        .containsExactly("true");
                // SET LOCAL inside the step's transaction: lock_timeout always, statement_timeout by kind
                assertThat(rows(c, "SELECT lt || ' ' || st FROM seen_validate")).containsExactly("2s 0");
                assertThat(rows(c, "SELECT lt || ' ' || st FROM seen_ddl")).containsExactly("2s 30s");
                assertThat(rows(c, "SELECT lt || ' ' || st FROM seen_contract")).containsExactly("2s 30s");
                assertThat(rows(c, "SELECT to_regclass('never')::text")).containsOnlyNulls();
            }
            ReleaseState state = Executor.status(db::connection).orElseThrow();
            assertThat(state.steps()).extracting(StepRecord::phase, StepRecord::kind, StepRecord::status, StepRecord::attempts)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(EXPAND, StepKind.DDL, StepStatus.DONE, 1),
                            org.assertj.core.groups.Tuple.tuple(EXPAND, StepKind.CONCURRENT, StepStatus.DONE, 1),
                            org.assertj.core.groups.Tuple.tuple(EXPAND, StepKind.VALIDATE, StepStatus.DONE, 1),
                            org.assertj.core.groups.Tuple.tuple(EXPAND, StepKind.DDL, StepStatus.DONE, 1),
                            org.assertj.core.groups.Tuple.tuple(EXPAND, StepKind.DDL, StepStatus.SKIPPED, 0),
                            org.assertj.core.groups.Tuple.tuple(BACKFILL, StepKind.BACKFILL, StepStatus.DONE, 1),
                            org.assertj.core.groups.Tuple.tuple(CONTRACT, StepKind.DDL, StepStatus.DONE, 1));
            assertThat(state.steps().get(4).onlyIf()).isFalse();
            assertThat(state.steps().get(5).sql())
                    .isEqualTo("UPDATE orders SET total = amount * 2 -- in keyset batches by (id)");
            assertThat(state.checkpoints()).singleElement().satisfies(k -> {
                assertThat(k.rowsDone()).isEqualTo(25);
                assertThat(k.batches()).isEqualTo(3);
                assertThat(k.lastKey()).containsExactly("25");
                assertThat(k.maxKey()).containsExactly("25");
            });
            long started = count(Executor.events(db::connection, first.release().id()), EventType.STEP_STARTED);
            assertThat(started).isEqualTo(6);

            ApplyResult again = Executor.apply(db::connection, plan, ALL, options);

            assertThat(again.release().id()).isEqualTo(first.release().id());
            assertThat(again.steps()).extracting(ApplyResult.StepOutcome::outcome).containsOnly(ApplyResult.Outcome.ALREADY_DONE);
            assertThat(Executor.status(db::connection).orElseThrow().steps()).extracting(StepRecord::attempts)
                    .containsExactly(1, 1, 1, 1, 0, 1, 1);
            assertThat(count(Executor.events(db::connection, first.release().id()), EventType.STEP_STARTED)).isEqualTo(started);
            assertThat(sleeps).isEmpty();
        }
    }

    @Test
    void aFailedStepIsRecordedAndTheNextRunResumesAtIt() throws SQLException {
        try (TestDatabase db = database(ORDERS)) {
            ReleasePlan plan = plan(List.of(
                    tx("2", 1, "CREATE TABLE first_one (x int)", "DROP TABLE first_one"),
                    tx("2", 3, "INSERT INTO missing VALUES (1)", null),
                    tx("3", 1, "CREATE TABLE last_one (x int)", "DROP TABLE last_one")), List.of(), List.of());

            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(EXPAND), options))
                    .isInstanceOfSatisfying(StepFailedException.class, e -> {
                        assertThat(e).hasMessage("step failed: migration 2, line 3 (expand):\n"
                                + "  INSERT INTO missing VALUES (1)\n"
                                + "PostgreSQL: ERROR:  relation \"missing\" does not exist (SQLSTATE 42P01)");
                        assertThat(e.sqlState()).isEqualTo("42P01");
                        assertThat(e.code().exitCode()).isEqualTo(1);
                    });
            ReleaseState failed = Executor.status(db::connection).orElseThrow();
            assertThat(failed.release().status()).isEqualTo(ReleaseStatus.FAILED);
            assertThat(failed.steps()).extracting(StepRecord::status)
                    .containsExactly(StepStatus.DONE, StepStatus.FAILED, StepStatus.PENDING);
            assertThat(failed.steps().get(1).lastError()).isEqualTo("ERROR:  relation \"missing\" does not exist");
            assertThat(failed.steps().get(1).lastSqlState()).isEqualTo("42P01");

            try (Connection c = db.connection()) {
                exec(c, "CREATE TABLE missing (x int)");
            }
            ApplyResult resumed = Executor.apply(db::connection, plan, Set.of(EXPAND), options);

            assertThat(resumed.release().id()).isEqualTo(failed.release().id());
            assertThat(resumed.release().status()).isEqualTo(ReleaseStatus.DONE);
            assertThat(resumed.steps()).extracting(ApplyResult.StepOutcome::outcome, ApplyResult.StepOutcome::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ApplyResult.Outcome.ALREADY_DONE, 1),
                            org.assertj.core.groups.Tuple.tuple(ApplyResult.Outcome.RAN, 2),
                            org.assertj.core.groups.Tuple.tuple(ApplyResult.Outcome.RAN, 1));
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT count(*) FROM missing")).containsExactly("1");
            }
        }
    }

    @Test
    void aConcurrentBuildThatFailedLeavesAnInvalidIndexWhichTheCleanupRemovesOnResume() throws SQLException {
        try (TestDatabase db = database("""
                CREATE TABLE t (id int PRIMARY KEY, v int);
                INSERT INTO t VALUES (1, 1), (2, 1), (3, 2);
                """)) {
            ReleasePlan plan = plan(List.of(auto("2", 1, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_v ON t (v)",
                    "DROP INDEX CONCURRENTLY IF EXISTS t_v", new SqlStep.Cleanup(
                            "SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('t_v') AND NOT indisvalid",
                            "DROP INDEX CONCURRENTLY IF EXISTS t_v"))), List.of(), List.of());

            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(EXPAND), options))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("could not create unique index \"t_v\"")
                    .hasMessageContaining("SQLSTATE 23505");
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_v'::regclass"))
                        .containsExactly("false");
                exec(c, "DELETE FROM t WHERE id = 2");
            }

            // the cleanup itself first waits: DROP INDEX CONCURRENTLY queues behind a
            // SHARE UPDATE EXCLUSIVE holder (as behind the orphaned build of a killed runner)
            ApplyResult resumed;
            try (Connection holder = db.connection()) {
                holder.setAutoCommit(false);
                exec(holder, "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE");
                resumed = Executor.apply(db::connection, plan, Set.of(EXPAND), options.withLockTimeout(Duration.ofMillis(50))
                        .withTime(d -> {
                            try {
                                holder.commit();
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }, new SplittableRandom(7), Clock.systemUTC()));
            }

            assertThat(resumed.steps()).singleElement().satisfies(s -> assertThat(s.attempts()).isEqualTo(2));
            List<EventRecord> events = Executor.events(db::connection, resumed.release().id());
            assertThat(count(events, EventType.CLEANUP_RAN)).isEqualTo(1);
            // the retry names the cleanup, and the step's start counts the step's attempts only
            assertThat(events).filteredOn(e -> e.type() == EventType.STEP_RETRIED).singleElement()
                    .satisfies(e -> assertThat(e.detail()).containsEntry("action", "cleanup").containsEntry("sqlState", "55P03"));
            assertThat(events).filteredOn(e -> e.type() == EventType.STEP_STARTED).extracting(e -> e.detail().get("attempt"))
                    .containsExactly(1, 2);
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_v'::regclass"))
                        .containsExactly("true");
                // a run killed after the build but before "done" committed: the step is run again, harmlessly
                exec(c, "UPDATE tandem.steps SET status = 'running'");
                exec(c, "UPDATE tandem.releases SET status = 'running'");
            }
            ApplyResult again = Executor.apply(db::connection, plan, Set.of(EXPAND), options);
            assertThat(again.steps()).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(ApplyResult.Outcome.RAN);
                assertThat(s.attempts()).isEqualTo(3);
            });
            assertThat(count(Executor.events(db::connection, resumed.release().id()), EventType.CLEANUP_RAN)).isEqualTo(1);
        }
    }

    @Test
    void aBackfillKilledMidBatchResumesAfterTheLastCommittedBatchAndChangesEveryRowOnce() throws Exception {
        try (TestDatabase db = database("""
                CREATE TABLE items (tenant int, code text, label text, hits int NOT NULL DEFAULT 0, PRIMARY KEY (tenant, code));
                CREATE FUNCTION count_hits() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.hits := OLD.hits + 1; RETURN NEW; END $$;
                CREATE TRIGGER items_hits BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION count_hits();
                INSERT INTO items (tenant, code) SELECT t, 'c' || lpad(i::text, 3, '0')
                    FROM generate_series(1, 4) t, generate_series(1, 30) i;
                """); Connection holder = db.connection(); Connection watcher = db.connection()) {
            ReleasePlan plan = plan(List.of(),
                    List.of(update("2", 2, "items", List.of("tenant", "code"), "label = upper(code)", "tenant <> 3")), List.of());
            // a row lock in the fifth batch (tenant 2, c011..c020) keeps the batch waiting: kill it there
            holder.setAutoCommit(false);
            exec(holder, "SELECT 1 FROM items WHERE tenant = 2 AND code = 'c015' FOR UPDATE");
            ExecOptions patient = options.withLockTimeout(Duration.ofSeconds(20));
            CompletableFuture<ApplyResult> run = CompletableFuture.supplyAsync(
                    () -> Executor.apply(db::connection, plan, Set.of(BACKFILL), patient));
            String pid = await(watcher, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'tandem migrate' AND wait_event_type = 'Lock'");
            exec(watcher, "SELECT pg_terminate_backend(" + pid + ")");
            assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(StepFailedException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("57P01");
                        assertThat(e).hasMessageStartingWith("backfill batch failed: migration 2, line 2 (backfill):\n"
                                + "  UPDATE items SET label = upper(code) WHERE tenant <> 3 -- in keyset batches by (tenant, code)");
                    });
            holder.commit();

            ReleaseState killed = Executor.status(db::connection).orElseThrow();
            assertThat(killed.steps()).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(StepStatus.FAILED);
                assertThat(s.lastSqlState()).isEqualTo("57P01");
            });
            Checkpoint k = killed.checkpoints().get(0);
            assertThat(k.lastKey()).containsExactly("2", "c010");
            assertThat(k.maxKey()).containsExactly("4", "c030");
            assertThat(k.rowsDone()).isEqualTo(40);
            assertThat(rows(watcher, "SELECT count(*) FROM items WHERE hits > 0")).containsExactly("40");

            ApplyResult resumed = Executor.apply(db::connection, plan, Set.of(BACKFILL), options);

            assertThat(resumed.release().status()).isEqualTo(ReleaseStatus.DONE);
            assertThat(rows(watcher, "SELECT tenant || ' ' || hits || ' ' || n FROM (SELECT tenant, hits, count(*) AS n FROM items "
                    + "WHERE label IS NOT DISTINCT FROM CASE WHEN tenant <> 3 THEN upper(code) END GROUP BY 1, 2) s ORDER BY 1"))
                    .containsExactly("1 1 30", "2 1 30", "3 0 30", "4 1 30");
            assertThat(Executor.status(db::connection).orElseThrow().checkpoints()).singleElement()
                    .satisfies(c -> assertThat(c.rowsDone()).isEqualTo(90));
        }
    }

    @Test
    void aBackfillWalksKeysOfAnyTypeAndDeletesOnlyWhatItsFilterSays() throws SQLException {
        try (TestDatabase db = database("""
                CREATE TABLE log (day date, ref uuid, at timestamptz NOT NULL, keep boolean NOT NULL, PRIMARY KEY (day, ref));
                INSERT INTO log SELECT date '2024-01-01' + i % 5, md5(i::text)::uuid,
                    timestamptz '2024-01-01 00:00:00.123456+00' + i * interval '1 hour', i % 3 = 0
                    FROM generate_series(1, 30) i;
                CREATE UNIQUE INDEX log_at ON log (at);
                """)) {
            ReleasePlan plan = plan(List.of(), List.of(
                    new BackfillStep("2", 1, "test", "log", List.of("day", "ref"), BackfillStep.Operation.DELETE, null, "NOT keep",
                            "deletes rows"),
                    update("2", 2, "public.log", List.of("at"), "keep = false", "keep")), List.of());

            Executor.apply(db::connection, plan, Set.of(BACKFILL), options.withBatchSize(7));

            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT count(*) || ' ' || bool_or(keep)::text FROM log")).containsExactly("10 false");
            }
            List<Checkpoint> checkpoints = Executor.status(db::connection).orElseThrow().checkpoints();
            assertThat(checkpoints).extracting(Checkpoint::rowsDone).containsExactly(20L, 10L);
            assertThat(checkpoints.get(1).lastKey()).singleElement().asString().endsWith(".123456+00");
        }
    }

    @Test
    void aLockTimeoutIsRetriedWithBackoffUntilTheHolderCommits() throws SQLException {
        try (TestDatabase db = database(ORDERS); Connection holder = db.connection()) {
            holder.setAutoCommit(false);
            exec(holder, "LOCK TABLE orders IN ACCESS SHARE MODE");
            ReleasePlan plan = plan(List.of(tx("2", 1, "ALTER TABLE orders ADD COLUMN note text", null)), List.of(), List.of());
            ExecOptions o = options.withLockTimeout(Duration.ofMillis(50)).withTime(d -> {
                sleeps.add(d);
                if (sleeps.size() == 2) {
                    try {
                        holder.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, new SplittableRandom(7), Clock.systemUTC());

            ApplyResult r = Executor.apply(db::connection, plan, Set.of(EXPAND), o);

            // each attempt ended by lock_timeout (55P03) until the holder let go during the second wait
            assertThat(r.steps()).singleElement().satisfies(s -> assertThat(s.attempts()).isEqualTo(3));
            List<EventRecord> retries = Executor.events(db::connection, r.release().id()).stream()
                    .filter(e -> e.type() == EventType.STEP_RETRIED).toList();
            assertThat(retries).extracting(e -> e.detail().get("attempt"), e -> e.detail().get("sqlState"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "55P03"), org.assertj.core.groups.Tuple.tuple(2, "55P03"));
            assertThat(retries).allSatisfy(e -> assertThat(e.detail().get("error")).asString()
                    .isEqualTo("ERROR:  canceling statement due to lock timeout"));
            // full jitter: the first wait is drawn below 100 ms, the second below 200 ms
            assertThat(sleeps).hasSize(2);
            assertThat(sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
            assertThat(sleeps.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
            assertThat(retries).extracting(e -> ((Number) e.detail().get("delayMs")).longValue())
                    .containsExactly(sleeps.get(0).toMillis(), sleeps.get(1).toMillis());
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT attname FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'note'"))
                        .containsExactly("note");
            }
        }
    }

    @Test
    void retriesRunOutAndTheStepFailsWithTheLockTimeout() throws SQLException {
        try (TestDatabase db = database(ORDERS); Connection holder = db.connection()) {
            holder.setAutoCommit(false);
            exec(holder, "LOCK TABLE orders IN ACCESS SHARE MODE");
            ReleasePlan plan = plan(List.of(tx("2", 1, "ALTER TABLE orders ADD COLUMN note text", null)), List.of(), List.of());
            ExecOptions o = options.withLockTimeout(Duration.ofMillis(30)).withRetries(3, Duration.ofMinutes(1));

            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(EXPAND), o))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageEndingWith("PostgreSQL: ERROR:  canceling statement due to lock timeout (SQLSTATE 55P03)\n"
                            + "gave up after 3 attempts");
            assertThat(sleeps).hasSize(2);
            StepRecord s = Executor.status(db::connection).orElseThrow().steps().get(0);
            assertThat(s.status()).isEqualTo(StepStatus.FAILED);
            assertThat(s.attempts()).isEqualTo(3);
            assertThat(s.lastSqlState()).isEqualTo("55P03");

            // the retry time is spent when the next wait would end past it: here at once
            Clock leaping = new Clock() {
                private java.time.Instant now = java.time.Instant.parse("2025-01-01T00:00:00Z");

                @Override
                public java.time.ZoneId getZone() {
                    return java.time.ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public java.time.Instant instant() {
                    now = now.plusSeconds(2);
                    return now;
                }
            };
            ReleasePlan other = plan(List.of(tx("5", 1, "ALTER TABLE orders ADD COLUMN other text", null)), List.of(), List.of());
            try (Connection c = db.connection()) {
                // abandon the failed release by hand, so that the next plan starts a release of its own
                exec(c, "UPDATE tandem.releases SET status = 'rolled_back'");
            }
            assertThatThrownBy(() -> Executor.apply(db::connection, other, Set.of(EXPAND), o.withRetries(10, Duration.ofSeconds(1))
                    .withTime(sleeps::add, new SplittableRandom(7), leaping)))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageEndingWith("(SQLSTATE 55P03)\ngave up after 1 attempt");
            assertThat(sleeps).hasSize(2);
            holder.rollback();
        }
    }

    @Test
    void aSecondRunnerFailsAtOnceOrAfterItsWaitAndNamesTheHolder() throws SQLException {
        try (TestDatabase db = database(ORDERS); Connection holder = db.connection()) {
            exec(holder, "SELECT pg_advisory_lock(" + RunLock.KEY + ")");
            String pid = rows(holder, "SELECT pg_backend_pid()").get(0);
            ReleasePlan plan = plan(List.of(tx("2", 1, "CREATE TABLE a (x int)", "DROP TABLE a")), List.of(), List.of());

            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(EXPAND), options))
                    .isInstanceOfSatisfying(RunLockHeldException.class, e -> {
                        assertThat(e).hasMessageStartingWith("another migrate run holds the lock (pid " + pid + ", since ")
                                .hasMessageEndingWith(": wait for it to finish, or run with --wait");
                        assertThat(e.holderPid()).isEqualTo(Integer.parseInt(pid));
                        assertThat(e.holderSince()).isNotNull();
                        assertThat(e.code().exitCode()).isEqualTo(3);
                    });
            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(EXPAND),
                    options.withWaitForRunLock(Duration.ofMillis(200))))
                    .isInstanceOf(RunLockHeldException.class)
                    .hasMessageEndingWith(" and did not release it within 200 ms");
            // nothing was touched without the lock, not even the state schema
            assertThat(rows(holder, "SELECT to_regclass('tandem.releases')::text")).containsOnlyNulls();
        }
    }

    @Test
    void aWaitingRunnerStartsWhenTheHolderLetsGo() throws Exception {
        try (TestDatabase db = database(ORDERS); Connection holder = db.connection()) {
            exec(holder, "SELECT pg_advisory_lock(" + RunLock.KEY + ")");
            String pid = rows(holder, "SELECT pg_backend_pid()").get(0);
            ReleasePlan plan = plan(List.of(tx("2", 1, "CREATE TABLE a (x int)", "DROP TABLE a")), List.of(), List.of());
            CompletableFuture<ApplyResult> run = CompletableFuture.supplyAsync(() -> Executor.apply(db::connection, plan,
                    Set.of(EXPAND), options.withWaitForRunLock(Duration.ofSeconds(20))));
            await(holder, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
            exec(holder, "SELECT pg_advisory_unlock(" + RunLock.KEY + ")");

            ApplyResult r = run.get(20, TimeUnit.SECONDS);

            assertThat(r.release().status()).isEqualTo(ReleaseStatus.DONE);
            assertThat(Executor.events(db::connection, r.release().id())).filteredOn(e -> e.type() == EventType.LOCK_WAITED)
                    .singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("holderPid", Integer.parseInt(pid)));
        }
    }

    @Test
    void rollbackUndoesExpandLastFirstAndStopsAtAnIrreversibleStep() throws SQLException {
        try (TestDatabase db = database(ORDERS)) {
            ReleasePlan plan = plan(List.of(
                            tx("2", 1, "ALTER TABLE orders ADD COLUMN total bigint", "ALTER TABLE orders DROP COLUMN IF EXISTS total"),
                            auto("2", 3, "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_amount ON orders (amount)",
                                    "DROP INDEX CONCURRENTLY IF EXISTS orders_amount", INVALID_ORDERS_AMOUNT),
                            guarded("3", 1, "CREATE TABLE never (x int)", "SELECT 1 WHERE false"),
                            tx("3", 2, "CREATE TABLE audit (x int)", "DROP TABLE audit")),
                    List.of(update("2", 2, "orders", List.of("id"), "total = amount", null)),
                    List.of(tx("3", 5, "CREATE TABLE archive (x int)", "DROP TABLE archive")));
            String before;
            try (Connection c = db.connection()) {
                before = catalog(c);
            }
            Executor.apply(db::connection, plan, Set.of(EXPAND, BACKFILL), options);

            assertThatThrownBy(() -> Executor.rollback(db::connection, Set.of(EXPAND), options))
                    .isInstanceOf(ReleaseConflictException.class)
                    .hasMessage("cannot roll back expand while backfill has steps applied (first: migration 2, line 2): "
                            + "roll back backfill too, or first");

            RollbackResult r = Executor.rollback(db::connection, Set.of(EXPAND, BACKFILL), options);

            assertThat(r.rolledBack()).extracting(StepRecord::phase, StepRecord::ordinal, StepRecord::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(BACKFILL, 0, StepStatus.ROLLED_BACK),
                    org.assertj.core.groups.Tuple.tuple(EXPAND, 3, StepStatus.ROLLED_BACK),
                    org.assertj.core.groups.Tuple.tuple(EXPAND, 1, StepStatus.ROLLED_BACK),
                    org.assertj.core.groups.Tuple.tuple(EXPAND, 0, StepStatus.ROLLED_BACK));
            assertThat(r.release().status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
            ReleaseState state = Executor.status(db::connection).orElseThrow();
            assertThat(state.steps().get(2).status()).isEqualTo(StepStatus.PENDING);
            assertThat(state.checkpoints()).isEmpty();
            try (Connection c = db.connection()) {
                assertThat(catalog(c)).isEqualTo(before);
            }
            assertThat(Executor.events(db::connection, r.release().id())).filteredOn(e -> e.type() == EventType.STEP_ROLLED_BACK)
                    .hasSize(4);

            // a new release: the irreversible step stops the rollback, after the later step was undone
            ReleasePlan second = plan(List.of(
                            tx("4", 1, "CREATE TABLE keep (x int)", "DROP TABLE keep"),
                            new SqlStep("4", 2, "test", "UPDATE orders SET amount = amount + 1", true, List.of(), null, null, null,
                                    "overwrites amount in place", false),
                            tx("4", 3, "CREATE TABLE later (x int)", "DROP TABLE later")),
                    List.of(), List.of(tx("4", 9, "CREATE TABLE gone (x int)", "DROP TABLE gone")));
            ApplyResult applied = Executor.apply(db::connection, second, Set.of(EXPAND), options);
            assertThat(applied.release().id()).isNotEqualTo(r.release().id());

            assertThatThrownBy(() -> Executor.rollback(db::connection, Set.of(EXPAND), options))
                    .isInstanceOf(ReleaseConflictException.class)
                    .hasMessage("rollback stopped at migration 4, line 2 (expand), which cannot be undone: "
                            + "overwrites amount in place\n  UPDATE orders SET amount = amount + 1\n"
                            + "1 later step(s) were rolled back; the release stays in progress.");
            ReleaseState stopped = Executor.status(db::connection).orElseThrow();
            assertThat(stopped.release().status()).isEqualTo(ReleaseStatus.STOPPED);
            assertThat(stopped.steps()).extracting(StepRecord::status)
                    .containsExactly(StepStatus.DONE, StepStatus.DONE, StepStatus.ROLLED_BACK, StepStatus.PENDING);
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT coalesce(to_regclass('keep')::text, '-') || ' ' || coalesce(to_regclass('later')::text, '-')"))
                        .containsExactly("keep -");
            }
            assertThat(count(Executor.events(db::connection, stopped.release().id()), EventType.ROLLBACK_STOPPED)).isEqualTo(1);
        }
    }

    @Test
    void aChangedPlanUnderAnUnfinishedReleaseIsRefusedAndPhasesRunInOrder() throws SQLException {
        try (TestDatabase db = database(ORDERS)) {
            ReleasePlan plan = plan(List.of(
                            tx("2", 1, "CREATE TABLE a (id int PRIMARY KEY, v int)", "DROP TABLE a"),
                            tx("3", 1, "CREATE TABLE b (x int)", "DROP TABLE b")),
                    List.of(update("2", 2, "a", List.of("id"), "v = id", null)),
                    List.of(tx("3", 4, "CREATE TABLE c (x int)", "DROP TABLE c")));
            Executor.apply(db::connection, plan, Set.of(EXPAND), options);

            assertThatThrownBy(() -> Executor.apply(db::connection, plan, Set.of(CONTRACT), options))
                    .isInstanceOf(ReleaseConflictException.class)
                    .hasMessage("contract runs after backfill, which is not done (migration 2, line 2 is pending): apply backfill first");

            ReleasePlan changed = plan(List.of(
                            tx("2", 1, "CREATE TABLE a (id int PRIMARY KEY, v int)", "DROP TABLE a"),
                            tx("3", 1, "CREATE TABLE b (x int, y int)", "DROP TABLE b")),
                    List.of(update("2", 2, "a", List.of("id"), "v = id", null)),
                    List.of(tx("3", 4, "CREATE TABLE c (x int)", "DROP TABLE c")));
            assertThatThrownBy(() -> Executor.apply(db::connection, changed, Set.of(BACKFILL), options))
                    .isInstanceOf(ReleaseConflictException.class)
                    .hasMessageStartingWith("the plan does not match release ")
                    .hasMessageContaining(": the steps of migration 3 differ. The migration files changed after the release "
                            + "was applied in part.")
                    .hasMessageNotContaining("migration 2");

            // the same plan with a re-worded purpose and a moved line is the same release
            ReleasePlan moved = plan(List.of(
                            tx("2", 7, "CREATE TABLE a (id int PRIMARY KEY, v int)", "DROP TABLE a"),
                            tx("3", 1, "CREATE TABLE b (x int)", "DROP TABLE b")),
                    List.of(update("2", 2, "a", List.of("id"), "v = id", null)),
                    List.of(tx("3", 4, "CREATE TABLE c (x int)", "DROP TABLE c")));
            assertThat(Fingerprint.of(moved)).isEqualTo(Fingerprint.of(plan));
            ApplyResult rest = Executor.apply(db::connection, moved, Set.of(BACKFILL, CONTRACT), options);
            assertThat(rest.release().status()).isEqualTo(ReleaseStatus.DONE);
        }
    }

    @Test
    void optionsAreValidatedUpFrontAndTheBackoffBoundDoublesUpToItsCap() {
        assertThatThrownBy(() -> options.withLockTimeout(Duration.ZERO)).hasMessage("lockTimeout must be positive, not PT0S");
        assertThatThrownBy(() -> options.withBatchSize(0)).hasMessage("the batch size must be at least 1, not 0");
        assertThatThrownBy(() -> options.withRetries(0, Duration.ofSeconds(1))).hasMessage("maxAttempts must be at least 1, not 0");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            assertThat(Retry.delay(1, Duration.ofMillis(100), Duration.ofSeconds(1), random)).isLessThanOrEqualTo(Duration.ofMillis(100));
            assertThat(Retry.delay(3, Duration.ofMillis(100), Duration.ofSeconds(1), random)).isLessThanOrEqualTo(Duration.ofMillis(400));
            assertThat(Retry.delay(40, Duration.ofMillis(100), Duration.ofSeconds(1), random)).isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(RunLock.KEY).isEqualTo(RunLock.key("tandem"));
    }

    // ---- plans

    static ReleasePlan plan(List<Step> expand, List<Step> backfill, List<Step> contract) {
        return new ReleasePlan(new PgVersion(15), List.of(new PhasePlan(EXPAND, expand), new PhasePlan(BACKFILL, backfill),
                new PhasePlan(CONTRACT, contract)), List.of());
    }

    static SqlStep tx(String migration, int line, String sql, String rollback) {
        return new SqlStep(migration, line, "test step", sql, true, List.of(), null, null, rollback, null, false);
    }

    static SqlStep guarded(String migration, int line, String sql, String onlyIf) {
        return new SqlStep(migration, line, "test step", sql, true, List.of(), onlyIf, null, null, null, false);
    }

    static SqlStep auto(String migration, int line, String sql, String rollback, SqlStep.Cleanup cleanup) {
        return new SqlStep(migration, line, "test step", sql, false, List.of(), null, cleanup, rollback, null, false);
    }

    static BackfillStep update(String migration, int line, String table, List<String> key, String set, String where) {
        return new BackfillStep(migration, line, "test step", table, key, BackfillStep.Operation.UPDATE, set, where, null);
    }

    // ---- database

    static TestDatabase database(String given) throws SQLException {
        TestDatabase db = PostgresHarness.get().newDatabase();
        try (Connection c = db.connection()) {
            exec(c, given);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Relations, columns, constraints and indexes of the public schema, as text. */
    static String catalog(Connection c) throws SQLException {
        return String.join("\n", rows(c, """
                SELECT 'rel ' || relname || ' ' || relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
                UNION ALL SELECT 'col ' || attrelid::regclass || '.' || attname || ' ' || format_type(atttypid, atttypmod)
                  FROM pg_attribute WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
                  AND attnum > 0 AND NOT attisdropped
                UNION ALL SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                  WHERE connamespace = 'public'::regnamespace
                ORDER BY 1"""));
    }

    static long count(List<EventRecord> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    /** Polls until {@code query} returns a row (the other session reached the state it names). */
    static String await(Connection c, String query) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            List<String> r = rows(c, query);
            if (!r.isEmpty()) return r.get(0);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no row within 15 s from " + query);
    }


    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
