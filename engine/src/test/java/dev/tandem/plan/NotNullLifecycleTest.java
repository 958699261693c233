package dev.tandem.plan;

import static dev.tandem.testing.Sql.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link NotNullRecipe} on a real PostgreSQL: nothing before the gate, then CHECK, VALIDATE, SET NOT NULL. */
class NotNullLifecycleTest {

    private static final String ACCOUNTS = """
            CREATE TABLE accounts (id bigint PRIMARY KEY, plan text DEFAULT 'free', region text);
            INSERT INTO accounts SELECT i, 'pro', 'eu' FROM generate_series(1, 20) i;
            """;

    @Test
    void oldAppKeepsWritingNullsUntilTheGateThenTheyAreFilledFromTheDefault() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ACCOUNTS)
                .migration("ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL;")
                .oldApp("INSERT INTO accounts (id, plan) SELECT max(id) + 1, NULL FROM accounts")
                .newApp("INSERT INTO accounts (id, plan) SELECT max(id) + 1, 'pro' FROM accounts")
                .debug()
                .check(c -> assertThat(count(c, "SELECT count(*) FROM accounts WHERE plan = 'free'")).isEqualTo(1))
                .run();

        assertThat(r.plan().steps(Phase.EXPAND)).isEmpty();
        assertThat(r.plan().steps(Phase.BACKFILL)).isEmpty();
        assertThat(Plans.sql(r.plan(), Phase.CONTRACT)).containsExactly(
                "BACKFILL plan = 'free'::text",
                "ALTER TABLE accounts ADD CONSTRAINT accounts_plan_not_null_tandem CHECK (plan IS NOT NULL) NOT VALID",
                "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_not_null_tandem",
                "ALTER TABLE accounts ALTER COLUMN plan SET NOT NULL",
                "ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_plan_not_null_tandem");
        BackfillStep fill = (BackfillStep) r.plan().steps(Phase.CONTRACT).get(0);
        assertThat(fill.key()).containsExactly("id");
        assertThat(fill.where()).isEqualTo("plan IS NULL");
        assertThat(fill.irreversible()).isNotNull();
        assertThat(r.messages()).contains(
                "existing constraints on column \"accounts.plan\" are sufficient to prove that it does not contain nulls");
        assertThat(r.after().columns()).contains("public.accounts #2 plan text NOT NULL DEFAULT 'free'::text");
    }

    @Test
    void aBackfillAnnotationGivesTheValueForTheNulls() throws SQLException {
        Lifecycle.Result r = Lifecycle.given(ACCOUNTS)
                .migration("""
                        -- migrate:backfill 'unknown'
                        ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;
                        """)
                .oldApp("INSERT INTO accounts (id) SELECT max(id) + 1 FROM accounts")
                .newApp("INSERT INTO accounts (id, region) SELECT max(id) + 1, 'us' FROM accounts")
                .check(c -> assertThat(count(c, "SELECT count(*) FROM accounts WHERE region = 'unknown'")).isEqualTo(1))
                .run();

        assertThat(Plans.sql(r.plan(), Phase.CONTRACT).get(0)).isEqualTo("BACKFILL region = 'unknown'");
    }

    @Test
    void withoutAValueTheContractFailsAtValidateAndChangesNothing() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase(); Connection c = db.connection();
             StepRunner runner = new StepRunner(db.connection())) {
            Lifecycle.script(c, ACCOUNTS);
            ReleasePlan plan = Plans.live(c, "ALTER TABLE accounts ALTER COLUMN region SET NOT NULL;");
            assertThat(plan.unplanned()).isEmpty();
            assertThat(Plans.sqlSteps(plan, Phase.CONTRACT).get(1).purpose()).contains("migrate:backfill");
            CatalogSnapshot before = CatalogSnapshot.of(c);
            // the old app version wrote a NULL before the gate
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO accounts (id) VALUES (100)");
            }

            assertThatThrownBy(() -> runner.runAll(plan.steps(Phase.CONTRACT)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("is violated by some row");
            runner.rollbackAll();
            assertThat(CatalogSnapshot.of(c)).isEqualTo(before);
        }
    }

}
