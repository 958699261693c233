package dev.tandem.plan;

import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.classify.PgVersion;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RenameTableRecipe} on a real PostgreSQL: the table renamed and a view under the old name in
 * one transaction; the old app version works through the view with its own role (privileges copied,
 * row-level security applied: security_invoker), the new one on the table; contract drops the view.
 */
class RenameTableLifecycleTest {

    /** A role of the whole cluster: created once, shared by the test databases. */
    static final String APP_ROLE = """
            DO $$BEGIN CREATE ROLE tandem_test_app; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$;
            """;

    private static final String ORDERS = APP_ROLE + """
            CREATE TABLE orders (id bigserial PRIMARY KEY, sku text NOT NULL UNIQUE, qty int NOT NULL DEFAULT 1,
                                 created timestamptz NOT NULL DEFAULT now());
            INSERT INTO orders (sku) SELECT 'sku-' || i FROM generate_series(1, 5) i;
            INSERT INTO orders (sku) VALUES ('secret-1');
            GRANT SELECT, INSERT, UPDATE, DELETE ON orders TO tandem_test_app;
            GRANT USAGE ON SEQUENCE orders_id_seq TO tandem_test_app;
            GRANT SELECT (sku) ON orders TO PUBLIC;
            ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
            CREATE POLICY not_secret ON orders USING (sku NOT LIKE 'secret%');
            """;

    /** The old app version, connected as its own role: every kind of write, through the view. */
    private static final String[] OLD_APP = {
            "SET ROLE tandem_test_app",
            "INSERT INTO orders (sku) VALUES ('old-' || gen_random_uuid()) RETURNING id, qty, created",
            "INSERT INTO orders VALUES (DEFAULT, 'old-' || gen_random_uuid(), DEFAULT, DEFAULT)",
            "INSERT INTO orders (sku, qty) VALUES ('sku-1', 5) ON CONFLICT (sku) DO UPDATE SET qty = orders.qty + excluded.qty",
            "INSERT INTO orders (sku) VALUES ('sku-2') ON CONFLICT DO NOTHING",
            "UPDATE orders SET qty = qty + 1 WHERE sku = 'sku-3' RETURNING qty",
            "DELETE FROM orders WHERE sku = 'sku-4'",
            "SELECT * FROM orders WHERE sku = 'sku-5' FOR UPDATE"};

    private static final String[] NEW_APP = {
            "SET ROLE tandem_test_app",
            "INSERT INTO purchases (sku) VALUES ('new-' || gen_random_uuid()) RETURNING id",
            "UPDATE purchases SET qty = qty + 1 WHERE sku = 'sku-5'",
            "SELECT count(*) FROM purchases"};

    @Test
    void theOldNameIsAnUpdatableViewUntilContract() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ORDERS)
                .migration("ALTER TABLE orders RENAME TO purchases;")
                .oldApp(OLD_APP)
                .newApp(NEW_APP)
                .duringWindow(c -> {
                    // the view carries the table's privileges, table and column level
                    assertThat(rows(c, "SELECT relacl::text FROM pg_class WHERE oid = 'orders'::regclass"))
                            .isEqualTo(rows(c, "SELECT relacl::text FROM pg_class WHERE oid = 'purchases'::regclass"));
                    assertThat(rows(c, "SELECT attname || ' ' || attacl::text FROM pg_attribute WHERE attrelid = 'orders'::regclass"
                            + " AND attacl IS NOT NULL")).containsExactly("sku {=r/postgres}");
                    try (Statement st = c.createStatement()) {
                        st.execute("SET ROLE tandem_test_app");
                        try {
                            // security_invoker: the table's policy applies to the app's role through the view
                            assertThat(rows(c, "SELECT sku FROM orders WHERE sku LIKE 'secret%'")).isEmpty();
                            st.execute("INSERT INTO orders (sku) VALUES ('window-old')");
                            assertThatThrownBy(() -> st.execute("INSERT INTO orders (sku) VALUES ('secret-2')"))
                                    .hasMessageContaining("row-level security policy");
                        } finally {
                            st.execute("RESET ROLE");
                        }
                    }
                })
                .check(c -> {
                    // written by the old app through the view: in the table, with the table's defaults
                    assertThat(rows(c, "SELECT qty || ' ' || (created IS NOT NULL) FROM purchases WHERE sku = 'window-old'"))
                            .containsExactly("1 true");
                    assertThat(rows(c, "SELECT qty::text FROM purchases WHERE sku IN ('sku-1', 'sku-3') ORDER BY sku"))
                            .containsExactly("6", "2");
                    assertThat(rows(c, "SELECT sku FROM purchases WHERE sku = 'sku-4'")).isEmpty();
                    assertThat(rows(c, "SELECT to_regclass('orders')::text")).containsOnlyNulls();
                })
                .run();

        String view = "CREATE VIEW orders WITH (security_invoker = true) AS SELECT * FROM purchases;\n"
                + RenameTableRecipe.copyPrivileges(dev.tandem.sql.QualifiedName.of("orders"),
                        dev.tandem.sql.QualifiedName.of("purchases"), false);
        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly("ALTER TABLE orders RENAME TO purchases;\n" + view);
        SqlStep expand = Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0);
        assertThat(expand.transactional()).isTrue();
        assertThat(expand.rollback()).isEqualTo("DROP VIEW orders;\nALTER TABLE purchases RENAME TO orders");
        assertThat(expand.locks()).containsExactly(new dev.tandem.classify.TableLock("public.orders",
                dev.tandem.sql.LockMode.ACCESS_EXCLUSIVE));
        assertThat(r.plan().steps(Phase.BACKFILL)).isEmpty();
        SqlStep contract = Plans.sqlSteps(r.plan(), Phase.CONTRACT).get(0);
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly("DROP VIEW orders");
        assertThat(contract.rollback()).isEqualTo(view);
        assertThat(contract.destructive()).isFalse();
        assertThat(r.afterExpand().relations()).contains("public.orders v", "public.purchases r");
    }

    @Test
    void theContractStepCanBeUndoneByRecreatingTheView() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, ORDERS);
            ReleasePlan plan = Plans.live(c, "ALTER TABLE orders RENAME TO purchases;");
            runner.runAll(plan.steps(Phase.EXPAND));
            CatalogSnapshot window = CatalogSnapshot.of(c);
            List<String> acl = rows(c, "SELECT relacl::text FROM pg_class WHERE oid = 'orders'::regclass");
            try (StepRunner contract = new StepRunner(db.connection())) {
                contract.runAll(plan.steps(Phase.CONTRACT));
                contract.rollbackAll();
            }
            assertThat(CatalogSnapshot.of(c)).isEqualTo(window);
            assertThat(rows(c, "SELECT relacl::text FROM pg_class WHERE oid = 'orders'::regclass")).isEqualTo(acl);
        }
    }

    @Test
    void setSchemaKeepsTheOldNameInTheOldSchema() throws SQLException {
        Lifecycle.Result r = Lifecycle.given("CREATE SCHEMA archive;\n" + ORDERS + "GRANT USAGE ON SCHEMA archive TO tandem_test_app;\n")
                .migration("ALTER TABLE orders SET SCHEMA archive;")
                .oldApp(OLD_APP)
                .newApp("SET ROLE tandem_test_app", "INSERT INTO archive.orders (sku) VALUES ('new-' || gen_random_uuid())")
                .check(c -> assertThat(rows(c, "SELECT count(*)::text FROM archive.orders WHERE sku LIKE 'old-%'")).containsExactly("2"))
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND).get(0)).startsWith("ALTER TABLE orders SET SCHEMA archive;\n"
                + "CREATE VIEW orders WITH (security_invoker = true) AS SELECT * FROM archive.orders;\nDO ");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).rollback())
                .isEqualTo("DROP VIEW orders;\nALTER TABLE archive.orders SET SCHEMA public");
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly("DROP VIEW orders");
    }

    @Test
    void aPartitionedTableIsServedByTheViewToo() throws SQLException {
        Lifecycle.given("""
                        CREATE TABLE events (id int NOT NULL, at date NOT NULL, kind text DEFAULT 'k', PRIMARY KEY (id, at))
                            PARTITION BY RANGE (at);
                        CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                        INSERT INTO events VALUES (1, '2024-02-01');
                        """)
                .migration("ALTER TABLE events RENAME TO event_log;")
                .oldApp("INSERT INTO events (id, at) VALUES (2, '2024-03-01') ON CONFLICT (id, at) DO UPDATE SET kind = 'u'",
                        "INSERT INTO events (id, at) VALUES (2, '2024-03-01') ON CONFLICT (id, at) DO UPDATE SET kind = 'u'",
                        "UPDATE events SET at = '2024-05-01' WHERE id = 1")
                .newApp("INSERT INTO event_log (id, at) SELECT max(id) + 1, '2024-04-01' FROM event_log")
                .check(c -> assertThat(rows(c, "SELECT id || ' ' || kind || ' ' || at FROM events_2024 WHERE id <= 2 ORDER BY id"))
                        .containsExactly("1 k 2024-05-01", "2 u 2024-03-01"))
                .run();
    }

    /**
     * Before PostgreSQL 15 the view reads the table with its owner's rights, which would bypass row-level
     * security: the step refuses on such a table, and its one transaction leaves nothing behind. (The
     * PostgreSQL 14 form of the step, run here on 15.)
     */
    @Test
    void beforePostgres15TheStepRefusesATableWithRowLevelSecurity() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, ORDERS);
            ReleasePlan plan = Plans.offline(new PgVersion(14), ORDERS, "ALTER TABLE orders RENAME TO purchases;");
            assertThat(plan.unplanned()).isEmpty();
            assertThat(Plans.sql(plan, Phase.EXPAND).get(0)).contains("CREATE VIEW orders AS SELECT * FROM purchases;\n")
                    .doesNotContain("security_invoker");
            CatalogSnapshot before = CatalogSnapshot.of(c);
            assertThatThrownBy(() -> runner.runAll(plan.steps(Phase.EXPAND)))
                    .hasMessageContaining("row-level security is enabled on purchases; before PostgreSQL 15");
            assertThat(CatalogSnapshot.of(c)).isEqualTo(before);

            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE orders DISABLE ROW LEVEL SECURITY");
            }
            runner.runAll(plan.steps(Phase.EXPAND));
            assertThat(rows(c, "SELECT count(*)::text FROM orders")).containsExactly("6");
        }
    }

}
