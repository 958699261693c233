package dev.tandem.state;

import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.plan.Phase;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code tandem} state schema on a real PostgreSQL: created on first use, versioned, idempotent. */
class StateSchemaTest {

    @Test
    void createdOnFirstUseAndARerunChangesNothing() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection()) {
            assertThat(StateSchema.currentVersion(c)).isZero();

            assertThat(StateSchema.migrate(c)).isEqualTo(3);
            assertThat(StateSchema.currentVersion(c)).isEqualTo(StateSchema.latestVersion());
            assertThat(rows(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = 'tandem' AND c.relkind = 'r' ORDER BY 1"))
                    .containsExactly("backfill_checkpoints", "backfill_control", "events", "releases", "schema_version", "steps");
            List<String> catalog = rows(c, "SELECT attrelid::regclass || '.' || attname FROM pg_attribute "
                    + "WHERE attrelid::regclass::text LIKE 'tandem.%' AND attnum > 0 ORDER BY 1");

            assertThat(StateSchema.migrate(c)).isZero();
            assertThat(rows(c, "SELECT version || ' ' || description FROM tandem.schema_version"))
                    .containsExactly("1 releases, steps, backfill checkpoints, events",
                            "2 the plan and the migration checksums of each release",
                            "3 adaptive, throttled backfills: batch size, progress, operator control");
            assertThat(rows(c, "SELECT attrelid::regclass || '.' || attname FROM pg_attribute "
                    + "WHERE attrelid::regclass::text LIKE 'tandem.%' AND attnum > 0 ORDER BY 1")).isEqualTo(catalog);
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    @Test
    void aNewerStateSchemaIsRefused() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection()) {
            StateSchema.migrate(c);
            exec(c, "INSERT INTO tandem.schema_version (version, description) VALUES (99, 'from the future')");
            assertThatThrownBy(() -> StateSchema.migrate(c)).isInstanceOfSatisfying(TandemException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNAVAILABLE);
                assertThat(e).hasMessageContaining("version 99, newer than this migrate understands (3)");
            });
        }
    }

    @Test
    void storeRoundTripsReleasesStepsCheckpointsAndEvents() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection()) {
            StateSchema.migrate(c);
            StateStore store = new StateStore(c);
            Instant t0 = Instant.parse("2025-01-02T03:04:05Z");
            ReleaseRecord r = store.createRelease("abc", List.of("2", "3"), List.of(
                    new StateStore.NewStep(Phase.EXPAND, 0, "2", 1, StepKind.DDL, true, "CREATE TABLE a (x int)",
                            "DROP TABLE a", null, "h1"),
                    new StateStore.NewStep(Phase.BACKFILL, 0, "3", 4, StepKind.BACKFILL, false, "UPDATE a SET x = 1",
                            null, null, "h2")), t0);
            assertThat(r.status()).isEqualTo(ReleaseStatus.RUNNING);
            assertThat(r.migrations()).containsExactly("2", "3");
            assertThat(r.created()).isEqualTo(t0);
            assertThat(store.unfinishedRelease()).contains(r);

            long step = store.steps(r.id()).get(1).id();
            store.startCheckpoint(step, List.of("10", "it's"), t0);
            assertThat(store.advanceCheckpoint(step, null, List.of("3", "a \"b\""), 7, null, null, t0.plusSeconds(1))).isTrue();
            assertThat(store.checkpoint(step)).hasValueSatisfying(k -> {
                assertThat(k.lastKey()).containsExactly("3", "a \"b\"");
                assertThat(k.maxKey()).containsExactly("10", "it's");
                assertThat(k.rowsDone()).isEqualTo(7);
                assertThat(k.batches()).isEqualTo(1);
            });
            // v3: what the backfill is, its learnt batch size, rate and waits
            long other = store.steps(r.id()).get(0).id();
            store.startCheckpoint(other, List.of("5"), "def", 1234L, 1000, t0);
            // the guarded move, as a running backfill makes it: only from the position it carries
            assertThat(store.advanceCheckpoint(other, List.of("1"), List.of("2"), 2, 1250, 40.5, t0.plusSeconds(1)))
                    .as("not at [1] yet: nothing moves").isFalse();
            assertThat(store.checkpoint(other).orElseThrow().batches()).isZero();
            assertThat(store.advanceCheckpoint(other, null, List.of("2"), 2, 1250, 40.5, t0.plusSeconds(1))).isTrue();
            assertThat(store.advanceCheckpoint(other, null, List.of("3"), 1, 1250, 40.5, t0.plusSeconds(1)))
                    .as("no longer at the start").isFalse();
            store.checkpointWaiting(other, "replication-lag: 7 s > 2 s", 0, t0.plusSeconds(2));
            assertThat(store.checkpoint(other).orElseThrow().waitingFor()).isEqualTo("replication-lag: 7 s > 2 s");
            store.checkpointWaiting(other, null, 1500, t0.plusSeconds(3));
            assertThat(store.checkpoint(other)).hasValueSatisfying(k -> {
                assertThat(k.definition()).isEqualTo("def");
                assertThat(k.rowsEstimate()).isEqualTo(1234L);
                assertThat(k.batchSize()).isEqualTo(1250);
                assertThat(k.rowsPerSecond()).isEqualTo(40.5);
                assertThat(k.throttledMs()).isEqualTo(1500);
                assertThat(k.waitingFor()).isNull();
                assertThat(k.started()).isEqualTo(t0);
                assertThat(k.etaSeconds()).isEqualTo(Math.round((1234 - 2) / 40.5));
            });
            assertThat(store.backfillControl()).isEqualTo(BackfillControl.NONE);
            store.setBackfillControl(new BackfillControl(r.id(), true, Map.of("batch-size", "500"), "dba@host", null), t0);
            store.setBackfillControl(new BackfillControl(r.id(), true, Map.of("max-lag", "5s"), "sre@pod", null), t0.plusSeconds(1));
            assertThat(store.backfillControl()).isEqualTo(new BackfillControl(r.id(), true, Map.of("max-lag", "5s"), "sre@pod",
                    t0.plusSeconds(1), 2));
            // an operator's change is a read-modify-write under the row lock, and counted
            BackfillControl resumed = store.changeBackfillControl(r.id(), cur -> new BackfillControl(r.id(), false,
                    cur.settings(), "dba@host", null), t0.plusSeconds(2));
            assertThat(resumed.paused()).isFalse();
            assertThat(resumed.settings()).containsEntry("max-lag", "5s");
            assertThat(resumed.version()).isEqualTo(3);
            assertThat(c.getAutoCommit()).isTrue();
            store.acknowledgeBackfillControl(r.id(), 3, Map.of("max-lag", "5s"), null);
            assertThat(store.backfillAck()).contains(new BackfillControl.Ack(3, Map.of("max-lag", "5s"), null));
            store.recordOnlyIf(step, false);
            store.markRunning(step, t0);
            store.markFailed(step, "ERROR:  boom", "XX000", t0.plusSeconds(2));
            store.append(r.id(), step, EventType.STEP_FAILED, Map.of("sqlState", "XX000"), t0);
            StepRecord s = store.step(step);
            assertThat(s.status()).isEqualTo(StepStatus.FAILED);
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.onlyIf()).isFalse();
            assertThat(s.lastError()).isEqualTo("ERROR:  boom");
            assertThat(store.events(r.id())).singleElement()
                    .satisfies(e -> assertThat(e.detail()).containsEntry("sqlState", "XX000"));

            store.setReleaseStatus(r.id(), ReleaseStatus.DONE, t0.plusSeconds(9));
            assertThat(store.unfinishedRelease()).isEmpty();
            assertThat(store.release(r.id()).orElseThrow().finished()).isEqualTo(t0.plusSeconds(9));
        }
    }


    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
