package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link RefreshRecipe} on a real PostgreSQL: REFRESH … CONCURRENTLY, readers never blocked. */
class RefreshLifecycleTest {

    private static final String SALES = """
            CREATE TABLE sales (id bigint PRIMARY KEY, product text NOT NULL, units int NOT NULL);
            INSERT INTO sales SELECT i, 'p' || (i % 5), i FROM generate_series(1, 50) i;
            CREATE MATERIALIZED VIEW product_sales AS SELECT product, sum(units) AS units FROM sales GROUP BY product;
            CREATE UNIQUE INDEX product_sales_product_idx ON product_sales (product);
            INSERT INTO sales VALUES (51, 'p9', 7);
            """;

    @Test
    void aRefreshRunsConcurrentlyAndSeesNewRows() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(SALES)
                .migration("REFRESH MATERIALIZED VIEW product_sales;")
                .oldApp("SELECT * FROM product_sales WHERE product = 'p1'")
                .newApp("SELECT * FROM product_sales WHERE product = 'p1'")
                .check(c -> {
                    try (Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT units FROM product_sales WHERE product = 'p9'")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(7);
                    }
                })
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly("REFRESH MATERIALIZED VIEW CONCURRENTLY product_sales");
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).locks()).extracting(l -> l.mode().pgName())
                .containsExactly("ExclusiveLock");
    }

    @Test
    void withoutAUniqueIndexTheRefreshIsNotPlanned() {
        ReleasePlan plan = Plans.offline("""
                CREATE TABLE sales (id bigint PRIMARY KEY, product text, units int);
                CREATE MATERIALIZED VIEW product_sales AS SELECT product, sum(units) AS units FROM sales GROUP BY product;
                """, "REFRESH MATERIALIZED VIEW product_sales;");

        assertThat(plan.unplanned()).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(Unplanned.Reason.PRECONDITION);
            assertThat(u.instead()).contains("CREATE UNIQUE INDEX CONCURRENTLY");
        });
    }
}
