package dev.tandem.exec;

import static dev.tandem.exec.ExecutorTest.database;
import static dev.tandem.exec.ExecutorTest.exec;
import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.LiveCatalogReader;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.error.TandemException;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Planner;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.source.FlywayDirectorySource;
import dev.tandem.source.Migration;
import dev.tandem.state.ReleaseSource;
import dev.tandem.state.ReleaseStatus;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release keeps the plan it was made with and the checksums of its migrations, and once it is
 * done Flyway's own history lists its migrations, so that Flyway sees nothing left to run.
 */
class StoredReleaseTest {
    private static final ExecOptions OPTIONS = ExecOptions.DEFAULTS.withTime(d -> {}, new SplittableRandom(5), Clock.systemUTC())
            .withBatchSize(10);

    private static final String SHOP = """
            CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, score int, region text);
            INSERT INTO customers SELECT i, 'c' || i, i % 5, 'eu' FROM generate_series(1, 30) i;
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total int);
            """;

    @TempDir
    Path dir;

    @Test
    void everyKindOfStepSurvivesTheStoredPlanUnchanged() throws SQLException {
        try (TestDatabase db = database(SHOP); Connection c = db.connection()) {
            ReleasePlan plan = PlannedReleaseTest.plan(c,
                    "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers;",
                    "ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic';\nUPDATE customers SET tier = 'gold' WHERE id > 20;",
                    "CREATE INDEX customers_region ON customers (region);",
                    "ALTER TABLE customers ALTER COLUMN region SET NOT NULL;",
                    "ALTER TABLE customers RENAME COLUMN name TO full_name;",
                    "ALTER TABLE customers ALTER COLUMN score TYPE bigint;",
                    "DELETE FROM orders;",
                    "ALTER TABLE orders DROP COLUMN total;");
            assertThat(plan.unplanned()).isEmpty();
            assertThat(plan.steps(Phase.BACKFILL)).isNotEmpty();

            ReleasePlan back = PlanCodec.decode(PlanCodec.encode(plan));

            assertThat(back).isEqualTo(plan);
            assertThat(Fingerprint.of(back)).isEqualTo(Fingerprint.of(plan));
        }
    }

    @Test
    void anUnfinishedReleaseGivesBackItsPlanAndNamesEveryChangedOrMissingMigration() throws Exception {
        write("V1__customers.sql", SHOP);
        write("V2__rename.sql", "ALTER TABLE customers RENAME COLUMN name TO full_name;\n");
        write("V3__index.sql", "CREATE INDEX customers_region ON customers (region);\n");
        try (TestDatabase db = PostgresHarness().newDatabase()) {
            flyway(db, "1").migrate();
            List<Migration> pending = pending(db);
            ReleasePlan plan = plan(db, pending);
            List<ReleaseSource> sources = ReleaseSource.of(pending);

            ApplyResult expand = Executor.apply(db::connection, plan, sources, EnumSet.of(Phase.EXPAND), OPTIONS,
                    ReleaseHistory.NONE);
            assertThat(expand.release().status()).isEqualTo(ReleaseStatus.STOPPED);

            StoredRelease stored = Executor.unfinished(db::connection).orElseThrow();
            assertThat(stored.release().id()).isEqualTo(expand.release().id());
            assertThat(stored.plan()).isEqualTo(plan);
            assertThat(stored.sources()).isEqualTo(sources);
            assertThat(stored.changes(ReleaseSource.of(load()))).isEmpty();

            // a comment does not change what runs; a statement does, and so does a file that is gone
            write("V2__rename.sql", "-- the customer's name as printed\nALTER TABLE customers RENAME COLUMN name TO full_name;\n");
            assertThat(stored.changes(ReleaseSource.of(load()))).isEmpty();
            write("V2__rename.sql", "ALTER TABLE customers RENAME COLUMN name TO display_name;\n");
            Files.delete(dir.resolve("V3__index.sql"));
            assertThat(stored.changes(ReleaseSource.of(load())))
                    .containsExactly("V2__rename.sql (migration 2) changed", "V3__index.sql (migration 3) is gone");
            assertThat(Executor.appliedSources(db::connection)).isEmpty();
        }
    }

    @Test
    void aDoneReleaseIsInFlywaysHistoryWithFlywaysChecksumsAndFlywayRunsNothingAgain() throws Exception {
        write("V1__customers.sql", SHOP);
        write("V2__rename.sql", "ALTER TABLE customers RENAME COLUMN name TO full_name;\n");
        write("V2.1__index.sql", "-- for the region report\nCREATE INDEX customers_region ON customers (region);\n");
        write("V3__later.sql", "CREATE TABLE later (id int);\n");
        try (TestDatabase db = PostgresHarness().newDatabase()) {
            flyway(db, "1").migrate();
            List<Migration> release = pending(db).stream().filter(m -> !m.version().equals("3")).toList();
            ReleasePlan plan = plan(db, release);
            FlywayHistorySync history = new FlywayHistorySync(dir, Map.of(), db.jdbcUrl(), db.user(), db.password());

            ApplyResult expand = Executor.apply(db::connection, plan, ReleaseSource.of(release), EnumSet.of(Phase.EXPAND,
                    Phase.BACKFILL), OPTIONS, history);
            assertThat(expand.release().status()).isEqualTo(ReleaseStatus.STOPPED);
            assertThat(state(flyway(db, null), "2")).isEqualTo(MigrationState.PENDING);

            ApplyResult done = Executor.apply(db::connection, plan, ReleaseSource.of(release), EnumSet.of(Phase.CONTRACT),
                    OPTIONS, history);
            assertThat(done.release().status()).isEqualTo(ReleaseStatus.DONE);

            Flyway flyway = flyway(db, "2.1");
            flyway.validate();
            assertThat(state(flyway, "2")).isEqualTo(MigrationState.SUCCESS);
            assertThat(state(flyway, "2.1")).isEqualTo(MigrationState.SUCCESS);
            assertThat(state(flyway(db, null), "3")).isEqualTo(MigrationState.PENDING);
            assertThat(flyway.migrate().migrationsExecuted).isZero();
            try (Connection c = db.connection()) {
                // the rows Flyway itself wrote, checksum and all; nothing was run twice
                assertThat(rows(c, "SELECT version || ' ' || script || ' ' || (checksum IS NOT NULL) || ' ' || success "
                        + "FROM flyway_schema_history ORDER BY installed_rank"))
                        .containsExactly("1 V1__customers.sql true true", "2 V2__rename.sql true true",
                                "2.1 V2.1__index.sql true true");
                assertThat(rows(c, "SELECT count(*) FROM customers WHERE full_name IS NOT NULL")).containsExactly("30");
            }
            // a second call finds Flyway's history up to date and changes nothing
            history.record(ReleaseSource.of(release));
            assertThat(Executor.appliedSources(db::connection)).extracting(ReleaseSource::label).containsExactly("2", "2.1");
        }
    }

    @Test
    void aDatabaseFlywayNeverManagedGetsAHistoryWithABaselineBelowTheRelease() throws Exception {
        write("V1__customers.sql", SHOP);
        try (TestDatabase db = PostgresHarness().newDatabase()) {
            try (Connection c = db.connection()) {
                exec(c, "CREATE TABLE unrelated (id int)");
            }
            List<Migration> release = load();
            ReleasePlan plan = plan(db, release);
            Executor.apply(db::connection, plan, ReleaseSource.of(release), EnumSet.allOf(Phase.class), OPTIONS,
                    new FlywayHistorySync(dir, Map.of(), db.jdbcUrl(), db.user(), db.password()));
            Flyway flyway = flyway(db, null);
            flyway.validate();
            assertThat(state(flyway, "1")).isEqualTo(MigrationState.SUCCESS);
            try (Connection c = db.connection()) {
                // Flyway 13 starts the history without a baseline here; with one when it finds the schema non-empty
                assertThat(rows(c, "SELECT version || ' ' || type FROM flyway_schema_history WHERE type <> 'BASELINE'"))
                        .containsExactly("1 SQL");
            }
        }
    }

    @Test
    void aHistoryThatCannotBeWrittenLeavesTheReleaseUnfinishedAndTheNextRunOnlyRecordsIt() throws Exception {
        try (TestDatabase db = database(SHOP); Connection c = db.connection()) {
            ReleasePlan plan = PlannedReleaseTest.plan(c, "CREATE INDEX customers_region ON customers (region);");
            List<ReleaseSource> sources = List.of(new ReleaseSource("2", "V2__test.sql", "2", "test", "abc"));
            ReleaseHistory broken = s -> {
                throw new IllegalStateException("Flyway: Validate failed: Migration checksum mismatch for migration version 1");
            };
            assertThatThrownBy(() -> Executor.apply(db::connection, plan, sources, EnumSet.allOf(Phase.class), OPTIONS, broken))
                    .isInstanceOf(TandemException.class)
                    .hasMessageContaining("every step of release")
                    .hasMessageContaining("checksum mismatch for migration version 1")
                    .hasMessageContaining("run migrate apply again");
            assertThat(Executor.unfinished(db::connection)).isPresent();

            ApplyResult again = Executor.apply(db::connection, plan, sources, EnumSet.allOf(Phase.class), OPTIONS, ReleaseHistory.NONE);
            assertThat(again.release().status()).isEqualTo(ReleaseStatus.DONE);
            assertThat(again.steps()).allMatch(s -> s.outcome() == ApplyResult.Outcome.ALREADY_DONE);
        }
    }

    // ---- helpers

    private static dev.tandem.testing.PostgresHarness PostgresHarness() {
        return dev.tandem.testing.PostgresHarness.get();
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    private List<Migration> load() {
        return new FlywayDirectorySource(dir, Map.of()).load();
    }

    private List<Migration> pending(TestDatabase db) {
        Flyway flyway = flyway(db, null);
        List<String> applied = java.util.Arrays.stream(flyway.info().applied()).map(i -> i.getVersion().getVersion()).toList();
        return load().stream().filter(m -> !applied.contains(m.version())).toList();
    }

    private static ReleasePlan plan(TestDatabase db, List<Migration> migrations) throws SQLException {
        try (Connection c = db.connection()) {
            var classified = new Classifier(RuleRegistry.all(), new PgVersion(15))
                    .classify(migrations, LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema());
            return new Planner().plan(classified, LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema());
        }
    }

    private Flyway flyway(TestDatabase db, String target) {
        var cfg = Flyway.configure().locations("filesystem:" + dir).dataSource(db.jdbcUrl(), db.user(), db.password());
        if (target != null) cfg.target(target);
        return cfg.load();
    }

    private static MigrationState state(Flyway flyway, String version) {
        for (MigrationInfo i : flyway.info().all()) {
            if (i.getVersion() != null && i.getVersion().getVersion().equals(version)) return i.getState();
        }
        throw new AssertionError("Flyway does not know version " + version);
    }
}
