package dev.tandem.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.source.SqlScript;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A pgroll-style lifecycle test of a recipe on a real PostgreSQL:
 * <ol>
 *   <li>database A gets the pre-existing schema and rows; the pending migrations are planned
 *       against A's live catalog; the plan must be executable;</li>
 *   <li>expand runs; the old app's and the new app's statements must work;</li>
 *   <li>expand is rolled back, last step first; the schema must be as before;</li>
 *   <li>expand runs again, then the {@link #duringWindow} checks (both app versions live), then
 *       backfill, then (after the gate) contract; the new app's statements must still work;</li>
 *   <li>database B gets the same schema and runs the migrations as written, one transaction per
 *       migration; A's schema must equal B's.</li>
 * </ol>
 */
final class Lifecycle {
    /** What a lifecycle run leaves for further assertions. */
    record Result(ReleasePlan plan, List<String> messages, List<String> executed, CatalogSnapshot before,
                  CatalogSnapshot afterExpand, CatalogSnapshot after) {}

    @FunctionalInterface
    interface Check {
        void accept(Connection c) throws SQLException;
    }

    private final String given;
    private final List<String> migrations = new ArrayList<>();
    private final List<String> oldApp = new ArrayList<>();
    private final List<String> newApp = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<Check> window = new ArrayList<>();
    private java.util.function.UnaryOperator<CatalogSnapshot> expected = java.util.function.UnaryOperator.identity();
    private boolean columnOrder = true;
    private boolean debug;
    private boolean rollback = true;

    private Lifecycle(String given) {
        this.given = given;
    }

    /** The schema and rows that exist before the release. */
    static Lifecycle given(String sql) {
        return new Lifecycle(sql);
    }

    Lifecycle migration(String sql) {
        migrations.add(sql);
        return this;
    }

    /** Statements of the app version that runs before the deploy: must work after expand. */
    Lifecycle oldApp(String... statements) {
        oldApp.addAll(List.of(statements));
        return this;
    }

    /** Statements of the new app version: must work after expand and after contract. */
    Lifecycle newApp(String... statements) {
        newApp.addAll(List.of(statements));
        return this;
    }

    /** Runs on database A after contract. */
    Lifecycle check(Check check) {
        checks.add(check);
        return this;
    }

    /**
     * Runs on database A in the second round, after expand and before backfill, while both app
     * versions are live: e.g. rows written by the old and by the new app version, whose values
     * a {@link #check} then verifies after contract.
     */
    Lifecycle duringWindow(Check check) {
        window.add(check);
        return this;
    }

    /** Compares the final schemas without column positions (see {@link CatalogSnapshot#withoutColumnOrder()}). */
    Lifecycle ignoreColumnOrder() {
        this.columnOrder = false;
        return this;
    }

    /**
     * For a recipe whose end state differs from the statement's by design (a stored generated
     * column kept by a trigger instead): turns the snapshot of the migrations run as written into
     * the one the plan must produce. Say why at the call site.
     */
    Lifecycle expectAfterContract(java.util.function.UnaryOperator<CatalogSnapshot> fromAsWritten) {
        this.expected = fromAsWritten;
        return this;
    }

    /** Collects the server's DEBUG1 messages while the steps run (see {@link Result#messages()}). */
    Lifecycle debug() {
        this.debug = true;
        return this;
    }

    /** For a plan with an irreversible expand step: skips the rollback round (and checks that it has one). */
    Lifecycle withoutRollback() {
        this.rollback = false;
        return this;
    }

    Result run() throws SQLException {
        try (TestDatabase a = PostgresHarness.get().newDatabase(); TestDatabase b = PostgresHarness.get().newDatabase();
             Connection ca = a.connection(); Connection cb = b.connection()) {
            script(ca, given);
            ReleasePlan plan = Plans.live(ca, migrations.toArray(String[]::new));
            assertThat(plan.unplanned()).as("unplanned statements").isEmpty();
            assertThat(plan.reversibleBeforeContract()).as("expand and backfill can be undone").isEqualTo(rollback);
            CatalogSnapshot before = CatalogSnapshot.of(ca);
            List<String> messages = new ArrayList<>();
            List<String> executed = new ArrayList<>();

            if (rollback) {
                try (StepRunner first = runner(a)) {
                    first.runAll(plan.steps(Phase.EXPAND));
                    statements(a, oldApp, "old app after expand", true);
                    statements(a, newApp, "new app after expand", true);
                    first.rollbackAll();
                    executed.addAll(first.executed());
                }
                assertThat(CatalogSnapshot.of(ca)).as("schema after rolling expand back").isEqualTo(before);
            }

            CatalogSnapshot afterExpand;
            try (StepRunner second = runner(a)) {
                second.runAll(plan.steps(Phase.EXPAND));
                afterExpand = CatalogSnapshot.of(ca);
                if (!rollback) {
                    statements(a, oldApp, "old app after expand", true);
                    statements(a, newApp, "new app after expand", true);
                }
                for (Check check : window) check.accept(ca);
                second.runAll(plan.steps(Phase.BACKFILL));
                // gate: the new app version is rolled out, the old one is gone
                second.runAll(plan.steps(Phase.CONTRACT));
                messages.addAll(second.messages());
                executed.addAll(second.executed());
            }
            statements(a, newApp, "new app after contract", false);
            for (Check check : checks) check.accept(ca);

            script(cb, given);
            for (String m : migrations) transaction(cb, m);
            CatalogSnapshot after = CatalogSnapshot.of(ca);
            CatalogSnapshot want = expected.apply(CatalogSnapshot.of(cb));
            assertThat(columnOrder ? after : after.withoutColumnOrder())
                    .as("schema after contract vs. the migrations run as written")
                    .isEqualTo(columnOrder ? want : want.withoutColumnOrder());
            return new Result(plan, messages, executed, before, afterExpand, after);
        }
    }

    private StepRunner runner(TestDatabase db) throws SQLException {
        StepRunner r = new StepRunner(db.connection());
        return debug ? r.debug() : r;
    }

    /**
     * The statements on a connection of their own, as an application would run them; committed
     * (the rows stay, and must survive a rollback of the release) or rolled back (only whether they
     * work is checked, so they can be run again).
     */
    private static void statements(TestDatabase db, List<String> statements, String who, boolean commit) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            c.setAutoCommit(commit);
            for (String s : statements) {
                try {
                    st.execute(s);
                } catch (SQLException e) {
                    throw new AssertionError(who + ": " + s + " failed: " + e.getMessage(), e);
                }
            }
            if (!commit) c.rollback();
        }
    }

    static void script(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (dev.tandem.source.Statement s : SqlScript.parse(sql, "script.sql", 1).statements()) st.execute(s.sql());
        }
    }

    /** A migration as a runner would apply it: all statements in one transaction. */
    private static void transaction(Connection c, String sql) throws SQLException {
        c.setAutoCommit(false);
        try {
            script(c, sql);
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }
}
