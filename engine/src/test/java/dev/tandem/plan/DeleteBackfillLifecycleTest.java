package dev.tandem.plan;

import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link BackfillRecipe#delete}: a whole-table DELETE as keyset batches of short transactions. */
class DeleteBackfillLifecycleTest {

    private static final String SESSIONS = """
            CREATE TABLE sessions (id bigint PRIMARY KEY, token text);
            INSERT INTO sessions SELECT i, 't' || i FROM generate_series(1, 25) i;
            """;

    @Test
    void everyRowIsDeletedInBatches() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(SESSIONS)
                .migration("DELETE FROM sessions;")
                .oldApp("INSERT INTO sessions SELECT max(id) + 1, 'old' FROM sessions")
                .newApp("INSERT INTO sessions SELECT coalesce(max(id), 0) + 1, 'new' FROM sessions")
                // the deleted rows are not kept
                .withoutRollback()
                .duringWindow(c -> {
                    // while the batches have not started, both app versions still see and write rows
                    try (Statement st = c.createStatement()) {
                        st.execute("UPDATE sessions SET token = 'touched' WHERE id = 1");
                    }
                    assertThat(rows(c, "SELECT count(*)::text FROM sessions")).containsExactly("27");
                })
                .check(c -> assertThat(rows(c, "SELECT count(*)::text FROM sessions")).containsExactly("0"))
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        assertThat(r.plan().steps(Phase.CONTRACT)).isEmpty();
        assertThat(r.plan().steps(Phase.BACKFILL)).singleElement().isInstanceOfSatisfying(BackfillStep.class, b -> {
            assertThat(b.table()).isEqualTo("sessions");
            assertThat(b.key()).containsExactly("id");
            assertThat(b.operation()).isEqualTo(BackfillStep.Operation.DELETE);
            assertThat(b.set()).isNull();
            assertThat(b.where()).isNull();
            assertThat(b.irreversible()).isEqualTo("the deleted rows are not kept");
        });
        // 27 rows in batches of 3: nine DELETE transactions, none of them the whole table
        assertThat(r.executed()).filteredOn(s -> s.startsWith("DELETE FROM sessions WHERE (id) IN")).hasSize(9);
    }

    @Test
    void aCompositeUniqueKeyServesWhenThereIsNoPrimaryKey() throws SQLException {
        Lifecycle.Result r = Lifecycle.given("""
                        CREATE TABLE "Audit" (tenant int NOT NULL, seq int NOT NULL, msg text, UNIQUE (tenant, seq));
                        INSERT INTO "Audit" SELECT i % 3, i, 'm' FROM generate_series(1, 10) i;
                        """)
                .migration("DELETE FROM public.\"Audit\"")
                .withoutRollback()
                .check(c -> assertThat(rows(c, "SELECT count(*)::text FROM \"Audit\"")).containsExactly("0"))
                .run();

        BackfillStep b = (BackfillStep) r.plan().steps(Phase.BACKFILL).get(0);
        assertThat(b.table()).isEqualTo("public.\"Audit\"");
        assertThat(b.key()).containsExactly("tenant", "seq");
    }
}
