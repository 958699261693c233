package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** {@link ConstraintRecipe} on a real PostgreSQL: NOT VALID, then VALIDATE in a transaction of its own. */
class ConstraintLifecycleTest {

    private static final String SHOP = """
            CREATE TABLE customers (id bigint PRIMARY KEY, name text);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, amount numeric(10, 2));
            INSERT INTO customers SELECT i, 'c' || i FROM generate_series(1, 10) i;
            INSERT INTO orders SELECT i, i % 10 + 1, i * 1.5 FROM generate_series(1, 40) i;
            """;

    @Test
    void unnamedCheckIsAddedNotValidAndValidatedSeparately() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(SHOP)
                .migration("ALTER TABLE orders ADD CHECK (amount >= 0);")
                .oldApp("INSERT INTO orders SELECT max(id) + 1, 1, 5 FROM orders", "UPDATE orders SET amount = amount + 1 WHERE id = 1")
                .newApp("INSERT INTO orders SELECT max(id) + 1, 2, 7 FROM orders")
                .run();

        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND)).extracting(SqlStep::sql, SqlStep::transactional, SqlStep::rollback)
                .containsExactly(
                        tuple("ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount >= 0) NOT VALID", true,
                                "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_amount_check"),
                        tuple("ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_check", true, null));
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND)).extracting(s -> s.locks().toString()).containsExactly(
                "[TableLock[table=public.orders, mode=AccessExclusiveLock]]",
                "[TableLock[table=public.orders, mode=ShareUpdateExclusiveLock]]");
        assertThat(r.after().constraints()).contains("public.orders orders_amount_check CHECK ((amount >= (0)::numeric))");
    }

    @Test
    void foreignKeyKeepsItsActionsAndLocksBothTablesOnlyBriefly() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(SHOP)
                .migration("""
                        -- a named foreign key with an action the model does not keep
                        ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
                            ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED; -- trailing comment
                        """)
                .oldApp("INSERT INTO orders SELECT max(id) + 1, 3, 1 FROM orders", "DELETE FROM customers WHERE id = 10")
                .newApp("INSERT INTO orders SELECT max(id) + 1, 4, 1 FROM orders")
                .run();

        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND)).extracting(SqlStep::sql).containsExactly(
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)\n"
                        + "    ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID",
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).locks()).extracting(l -> l.table() + " " + l.mode())
                .containsExactly("public.orders ShareRowExclusiveLock", "public.customers ShareRowExclusiveLock");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(1).locks()).extracting(l -> l.table() + " " + l.mode())
                .containsExactly("public.orders ShareUpdateExclusiveLock", "public.customers RowShareLock");
        assertThat(r.after().constraints()).contains("public.orders orders_customer_fk FOREIGN KEY (customer_id) REFERENCES"
                + " customers(id) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED");
    }

    @Test
    void unnamedForeignKeyGetsTheGeneratedName() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(SHOP)
                .migration("ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers;")
                .oldApp("INSERT INTO orders SELECT max(id) + 1, 3, 1 FROM orders")
                .newApp("INSERT INTO orders SELECT max(id) + 1, 4, 1 FROM orders")
                .run();

        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND)).extracting(SqlStep::sql).containsExactly(
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers NOT VALID",
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey");
    }
}
