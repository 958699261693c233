package dev.tandem.exec;

import static dev.tandem.exec.ExecutorTest.catalog;
import static dev.tandem.exec.ExecutorTest.database;
import static dev.tandem.exec.ExecutorTest.exec;
import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.LiveCatalogReader;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Planner;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.source.Migration;
import dev.tandem.state.ReleaseStatus;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A plan made by the real {@link Planner} from migrations, applied, rolled back and applied to the end. */
class PlannedReleaseTest {

    @Test
    void aPlannedReleaseRunsPhaseByPhaseRollsBackToTheSameCatalogAndRunsToTheEnd() throws SQLException {
        try (TestDatabase db = database("""
                CREATE TABLE customers (id bigint PRIMARY KEY, first_name text, last_name text, score int);
                INSERT INTO customers SELECT i, 'f' || i, 'l' || i, i % 7 FROM generate_series(1, 25) i;
                """)) {
            ReleasePlan plan;
            String before;
            try (Connection c = db.connection()) {
                before = catalog(c);
                plan = plan(c, """
                        ALTER TABLE customers ADD COLUMN full_name text;
                        UPDATE customers SET full_name = first_name || ' ' || last_name;
                        """, "CREATE INDEX customers_score ON customers (score);",
                        "ALTER TABLE customers ALTER COLUMN first_name SET NOT NULL;");
            }
            assertThat(plan.executable()).isTrue();
            assertThat(plan.steps(Phase.EXPAND)).isNotEmpty();
            assertThat(plan.steps(Phase.BACKFILL)).isNotEmpty();
            assertThat(plan.steps(Phase.CONTRACT)).isNotEmpty();
            ExecOptions options = ExecOptions.DEFAULTS.withTime(d -> {}, new SplittableRandom(3), Clock.systemUTC())
                    .withBatchSize(7).withLockTimeout(Duration.ofSeconds(5));

            ApplyResult early = Executor.apply(db::connection, plan, EnumSet.of(Phase.EXPAND, Phase.BACKFILL), options);
            assertThat(early.release().status()).isEqualTo(ReleaseStatus.STOPPED);
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT count(*) FROM customers WHERE full_name = first_name || ' ' || last_name"))
                        .containsExactly("25");
            }

            RollbackResult undone = Executor.rollback(db::connection, EnumSet.of(Phase.EXPAND, Phase.BACKFILL), options);
            assertThat(undone.release().status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
            try (Connection c = db.connection()) {
                assertThat(catalog(c)).isEqualTo(before);
            }

            ApplyResult all = Executor.apply(db::connection, plan, EnumSet.allOf(Phase.class), options);
            assertThat(all.release().id()).isNotEqualTo(early.release().id());
            assertThat(all.release().status()).isEqualTo(ReleaseStatus.DONE);
            try (Connection c = db.connection()) {
                assertThat(rows(c, "SELECT attnotnull::text FROM pg_attribute "
                        + "WHERE attrelid = 'customers'::regclass AND attname = 'first_name'")).containsExactly("true");
                assertThat(rows(c, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'customers_score'::regclass"))
                        .containsExactly("true");
                exec(c, "INSERT INTO customers (id, first_name, last_name) VALUES (100, 'a', 'b')");
            }
            // the tandem schema never shows in the user's schema model
            try (Connection c = db.connection()) {
                assertThat(LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema().tables())
                        .extracting(t -> t.name().toString()).noneMatch(n -> n.contains("tandem"));
            }
        }
    }

    static ReleasePlan plan(Connection c, String... scripts) {
        List<Migration> migrations = dev.tandem.plan.Plans.migrations(scripts);
        var classified = new Classifier(RuleRegistry.all(), new PgVersion(15))
                .classify(migrations, LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema());
        return new Planner().plan(classified, LiveCatalogReader.read(c, LiveCatalogReader.Options.DEFAULTS).schema());
    }
}
