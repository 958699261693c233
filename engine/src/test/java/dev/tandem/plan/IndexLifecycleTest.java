package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link IndexRecipe} on a real PostgreSQL. */
class IndexLifecycleTest {

    private static final String ORDERS = """
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text, note text);
            INSERT INTO orders SELECT i, i % 7, CASE WHEN i % 2 = 0 THEN 'open' ELSE 'paid' END, 'n' || i FROM generate_series(1, 50) i;
            """;

    @Test
    void createIndexIsBuiltConcurrentlyOutsideATransaction() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("CREATE INDEX orders_customer_idx ON orders (customer_id) WHERE status = 'open';")
                .oldApp("INSERT INTO orders SELECT max(id) + 1, 3, 'open', 'old' FROM orders", "SELECT * FROM orders WHERE customer_id = 3")
                .newApp("INSERT INTO orders SELECT max(id) + 1, 3, 'open', 'new' || max(id) FROM orders")
                .run();

        SqlStep build = Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0);
        assertThat(build.sql()).isEqualTo(
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id) WHERE status = 'open'");
        assertThat(build.transactional()).isFalse();
        assertThat(build.rollback()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx");
        assertThat(build.locks()).extracting(l -> l.table() + " " + l.mode()).containsExactly("public.orders ShareUpdateExclusiveLock");
        assertThat(r.plan().steps(Phase.BACKFILL)).isEmpty();
        assertThat(r.plan().steps(Phase.CONTRACT)).isEmpty();
        assertThat(r.after().indexes()).contains(
                "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id) WHERE (status = 'open'::text)");
    }

    @Test
    void unnamedUniqueIndexGetsTheNamePostgresWouldGiveIt() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("CREATE UNIQUE INDEX ON orders (note);")
                .oldApp("INSERT INTO orders SELECT max(id) + 1, 3, 'open', 'old' FROM orders")
                .newApp("INSERT INTO orders SELECT max(id) + 1, 3, 'open', 'new' || max(id) FROM orders")
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND))
                .containsExactly("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note)");
        assertThat(r.after().indexes()).contains("CREATE UNIQUE INDEX orders_note_idx ON public.orders USING btree (note)");
    }

    @Test
    void aFailedBuildLeavesAnInvalidIndexThatTheNextAttemptDropsAndRebuilds() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, ORDERS + "INSERT INTO orders VALUES (200, 1, 'open', 'n1');");
            ReleasePlan plan = Plans.live(c, "CREATE UNIQUE INDEX orders_note_key ON orders (note);");
            SqlStep build = Plans.sqlSteps(plan, Phase.EXPAND).get(0);

            // A duplicate makes the concurrent build fail: PostgreSQL keeps the index, INVALID.
            assertThatThrownBy(() -> runner.run(build)).isInstanceOf(SQLException.class).hasMessageContaining("could not create unique index");
            assertThat(CatalogSnapshot.of(c).indexes())
                    .contains("CREATE UNIQUE INDEX orders_note_key ON public.orders USING btree (note) [INVALID]");
            assertThat(runner.returnsRow(build.cleanup().when())).isTrue();

            // IF NOT EXISTS alone would now skip the build; the cleanup drops the INVALID index first.
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM orders WHERE id = 200");
            }
            runner.run(build);
            assertThat(CatalogSnapshot.of(c).indexes())
                    .contains("CREATE UNIQUE INDEX orders_note_key ON public.orders USING btree (note)");
            assertThat(runner.executed()).containsExactly(build.sql(), build.cleanup().sql(), build.sql());

            // Once built, another attempt (a resume after a crash before the step was recorded) changes nothing.
            runner.run(build);
            assertThat(CatalogSnapshot.of(c).indexes())
                    .contains("CREATE UNIQUE INDEX orders_note_key ON public.orders USING btree (note)");
        }
    }

    @Test
    void anIndexThatExistedBeforeIsNeitherRebuiltNorDroppedByTheRollback() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, ORDERS);
            ReleasePlan plan = Plans.live(c, "CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (status);");
            Lifecycle.script(c, "CREATE INDEX orders_status_idx ON orders (status, id);");
            CatalogSnapshot before = CatalogSnapshot.of(c);

            runner.runAll(plan.steps(Phase.EXPAND));
            runner.rollbackAll();

            assertThat(CatalogSnapshot.of(c)).isEqualTo(before);
            assertThat(runner.executed()).isEmpty();
        }
    }

    @Test
    void dropIndexRunsConcurrentlyInContract() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS + "CREATE INDEX orders_status_idx ON orders (status);")
                .migration("DROP INDEX orders_status_idx;")
                .oldApp("SELECT * FROM orders WHERE status = 'open'")
                .newApp("INSERT INTO orders SELECT max(id) + 1, 3, 'open', 'new' || max(id) FROM orders")
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        SqlStep drop = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(drop.sql()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx");
        assertThat(drop.transactional()).isFalse();
        // Created before the release: the plan cannot know its definition.
        assertThat(drop.rollback()).isNull();
        assertThat(drop.irreversible()).contains("public.orders_status_idx", "not known");
        assertThat(r.afterExpand().indexes()).anyMatch(i -> i.contains("orders_status_idx"));
        assertThat(r.after().indexes()).noneMatch(i -> i.contains("orders_status_idx"));
    }

    @Test
    void anIndexDroppedInTheReleaseThatCreatedItIsRebuiltByTheContractRollback() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, ORDERS);
            ReleasePlan plan = Plans.live(c,
                    "CREATE INDEX orders_note_idx ON orders USING hash (note);",
                    "DROP INDEX orders_note_idx;");
            assertThat(plan.unplanned()).isEmpty();
            runner.runAll(plan.steps(Phase.EXPAND));
            CatalogSnapshot afterExpand = CatalogSnapshot.of(c);
            runner.runAll(plan.steps(Phase.CONTRACT));
            assertThat(CatalogSnapshot.of(c).indexes()).noneMatch(i -> i.contains("orders_note_idx"));

            SqlStep drop = Plans.sqlSteps(plan, Phase.CONTRACT).get(0);
            assertThat(drop.rollback()).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders USING hash (note)");
            try (StepRunner undo = new StepRunner(db.connection())) {
                undo.run(drop);
                undo.rollbackAll();
            }
            assertThat(CatalogSnapshot.of(c)).isEqualTo(afterExpand);
        }
    }

    @Test
    void reindexRunsConcurrently() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS + "CREATE INDEX orders_status_idx ON orders (status);")
                .migration("REINDEX INDEX orders_status_idx;")
                .migration("REINDEX (VERBOSE) TABLE orders;")
                .oldApp("INSERT INTO orders SELECT max(id) + 1, 3, 'open', 'old' FROM orders")
                .newApp("SELECT * FROM orders WHERE status = 'open'")
                .run();

        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND)).extracting(SqlStep::sql, SqlStep::transactional).containsExactly(
                org.assertj.core.groups.Tuple.tuple("REINDEX INDEX CONCURRENTLY orders_status_idx", false),
                org.assertj.core.groups.Tuple.tuple("REINDEX (VERBOSE) TABLE CONCURRENTLY orders", false));
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).cleanup().sql())
                .isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx_ccnew");
    }
}
