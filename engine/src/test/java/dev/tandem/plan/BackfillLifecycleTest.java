package dev.tandem.plan;

import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BackfillRecipe} on a real PostgreSQL: a whole-table UPDATE as keyset batches. */
class BackfillLifecycleTest {

    private static final String CUSTOMERS = """
            CREATE TABLE customers (id bigint PRIMARY KEY, first_name text, last_name text);
            INSERT INTO customers SELECT i, 'f' || i, 'l' || i FROM generate_series(1, 25) i;
            """;

    @Test
    void aNewColumnIsFilledInBatchesAfterExpand() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(CUSTOMERS)
                .migration("""
                        ALTER TABLE customers ADD COLUMN full_name text;
                        UPDATE customers SET full_name = first_name || ' ' || last_name;
                        """)
                .oldApp("INSERT INTO customers (id, first_name, last_name) SELECT max(id) + 1, 'old', 'app' FROM customers")
                .newApp("INSERT INTO customers SELECT max(id) + 1, 'new', 'app', 'new app' FROM customers")
                .check(c -> assertThat(rows(c, "SELECT id, full_name FROM customers WHERE full_name IS DISTINCT FROM"
                        + " first_name || ' ' || last_name ORDER BY id")).isEmpty())
                .run();

        assertThat(Plans.sql(r.plan(), Phase.EXPAND)).containsExactly("ALTER TABLE customers ADD COLUMN full_name text");
        assertThat(r.plan().steps(Phase.BACKFILL)).singleElement().isInstanceOfSatisfying(BackfillStep.class, b -> {
            assertThat(b.table()).isEqualTo("customers");
            assertThat(b.key()).containsExactly("id");
            assertThat(b.set()).isEqualTo("full_name = first_name || ' ' || last_name");
            assertThat(b.where()).isNull();
            // The column is new in this release: rolling back drops it, nothing else to undo.
            assertThat(b.irreversible()).isNull();
        });
        assertThat(Plans.sqlSteps(r.plan(), Phase.EXPAND).get(0).rollback())
                .isEqualTo("ALTER TABLE customers DROP COLUMN IF EXISTS full_name");
        // 25 rows + one per app version, in batches of 3: nine UPDATE transactions, none of them the whole table.
        assertThat(r.executed()).filteredOn(s -> s.startsWith("UPDATE customers SET full_name")).hasSize(9);
    }

    @Test
    void aUniqueKeyOnNotNullColumnsServesWhenThereIsNoPrimaryKey() throws SQLException {
        Lifecycle.Result r = Lifecycle.given("""
                        CREATE TABLE tags (code text NOT NULL, tenant int NOT NULL, label text, UNIQUE (tenant, code));
                        INSERT INTO tags SELECT 'c' || i, i % 3, NULL FROM generate_series(1, 10) i;
                        """)
                .migration("""
                        ALTER TABLE tags ADD COLUMN slug text;
                        UPDATE tags SET slug = lower(code) WHERE slug IS NULL;
                        """)
                .migration("UPDATE tags SET label = 'tag ' || code;")
                .oldApp("INSERT INTO tags VALUES ('old', 1, 'o')")
                .check(c -> {
                    assertThat(rows(c, "SELECT code FROM tags WHERE slug IS DISTINCT FROM lower(code)")).isEmpty();
                    assertThat(rows(c, "SELECT code FROM tags WHERE label IS DISTINCT FROM 'tag ' || code")).isEmpty();
                })
                // overwriting label in place cannot be undone
                .withoutRollback()
                .run();

        assertThat(r.plan().steps(Phase.BACKFILL)).extracting(s -> (BackfillStep) s)
                .extracting(BackfillStep::key, BackfillStep::where, b -> b.irreversible() != null)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(List.of("tenant", "code"), "slug IS NULL", false),
                        org.assertj.core.groups.Tuple.tuple(List.of("tenant", "code"), null, true));
    }

}
