package dev.tandem.report;

import dev.tandem.classify.Classification;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.TableLock;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.plan.Unplanned;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.source.Statement;
import dev.tandem.sql.Change;
import dev.tandem.sql.LockMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Hand-built classified sets and release plans: the renderers are tested without the parser, rules and planner. */
final class Samples {
    private Samples() {}

    static final Finding RENAME = new Finding("rename-column", StatementClass.EXPAND_CONTRACT,
            "Renaming customers.name breaks the running application, which still reads \"name\".",
            "Add full_name, backfill it, switch the application, then drop name.");
    static final Finding INDEX = new Finding("create-index-non-concurrently", StatementClass.ONLINE_REWRITE,
            "CREATE INDEX holds a ShareLock on public.orders: writes wait until the index is built.",
            "CREATE INDEX CONCURRENTLY outside a transaction.");
    static final Finding CLUSTER = new Finding("cluster", StatementClass.BLOCKING,
            "CLUSTER rewrites public.orders under an AccessExclusiveLock.",
            "Use pg_repack, or drop the statement.");
    static final Finding ADVICE = new Finding("missing-lock-timeout", StatementClass.COMPATIBLE,
            "No lock_timeout is set.", "SET lock_timeout = '2s' first.");

    /** Three migrations: compatible, expand-contract (+ an index), blocking; 5 statements. */
    static ClassifiedSet mixed() {
        MigrationResult v1 = result("1", "create customers", "V1__create_customers.sql",
                stmt("CREATE TABLE customers (\n  id bigint PRIMARY KEY,\n  name text\n)", 3,
                        cls(StatementClass.COMPATIBLE, List.of(), List.of(), List.of(), List.of(), List.of())));
        MigrationResult v2 = result("2", "rename customer name", "V2__rename_customer_name.sql",
                stmt("ALTER TABLE customers RENAME COLUMN name TO full_name", 2,
                        cls(StatementClass.EXPAND_CONTRACT, List.of(new TableLock("public.customers", LockMode.ACCESS_EXCLUSIVE)),
                                List.of(), List.of(), List.of(RENAME, ADVICE), List.of())),
                stmt("CREATE INDEX orders_customer_idx ON orders (customer_id)", 5,
                        cls(StatementClass.ONLINE_REWRITE, List.of(new TableLock("public.orders", LockMode.SHARE)),
                                List.of(), List.of("public.orders"), List.of(INDEX), List.of())));
        MigrationResult v3 = result("3", "maintenance", "V3__maintenance.sql",
                stmt("SELECT 1", 1, cls(StatementClass.COMPATIBLE, List.of(), List.of(), List.of(), List.of(),
                        List.of("missing-lock-timeout"))),
                stmt("CLUSTER orders USING orders_pkey", 4,
                        cls(StatementClass.BLOCKING, List.of(new TableLock("public.orders", LockMode.ACCESS_EXCLUSIVE)),
                                List.of("public.orders"), List.of("public.orders"), List.of(CLUSTER), List.of())));
        return new ClassifiedSet(new PgVersion(15), List.of(v1, v2, v3));
    }

    static final SqlStep INDEX_STEP = new SqlStep("2", 5,
            "Build index orders_customer_idx without blocking writes (ShareUpdateExclusiveLock).",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id)", false,
            List.of(new TableLock("public.orders", LockMode.SHARE_UPDATE_EXCLUSIVE)),
            "SELECT 1 WHERE to_regclass('orders_customer_idx') IS NULL",
            new SqlStep.Cleanup("SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('orders_customer_idx') AND NOT indisvalid",
                    "DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx"),
            "DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx", null, false);
    static final SqlStep ADD_COLUMN_STEP = new SqlStep("2", 2, "Add full_name nullable (brief AccessExclusiveLock).",
            "ALTER TABLE customers ADD COLUMN full_name text", true,
            List.of(new TableLock("public.customers", LockMode.ACCESS_EXCLUSIVE)), null, null,
            "ALTER TABLE customers DROP COLUMN IF EXISTS full_name", null, false);
    static final BackfillStep BACKFILL_STEP = new BackfillStep("2", 2, "Copy name into full_name in keyset batches.",
            "customers", List.of("id"), BackfillStep.Operation.UPDATE, "full_name = name", "full_name IS NULL", null);
    static final BackfillStep DELETE_STEP = new BackfillStep("2", 2, "Delete the test rows in keyset batches.",
            "customers", List.of("tenant", "id"), BackfillStep.Operation.DELETE, null, null,
            "the deleted rows are gone");
    static final SqlStep DROP_STEP = new SqlStep("2", 2, "Drop the old column name, which no running app version reads.",
            "ALTER TABLE customers DROP COLUMN name", true,
            List.of(new TableLock("public.customers", LockMode.ACCESS_EXCLUSIVE)), null, null, null,
            "the values of name are deleted", true);
    static final Unplanned CLUSTER_UNPLANNED = new Unplanned("3", 4, "CLUSTER orders USING orders_pkey",
            Unplanned.Reason.BLOCKING, CLUSTER.message(), CLUSTER.fix());

    /**
     * A plan for {@link #mixed()}: expand (a column, a concurrent index), backfill (an UPDATE and a
     * DELETE), contract (a destructive drop), and the CLUSTER unplanned.
     */
    static ReleasePlan plan() {
        return plan(List.of(ADD_COLUMN_STEP, INDEX_STEP), List.of(BACKFILL_STEP, DELETE_STEP), List.of(DROP_STEP),
                List.of(CLUSTER_UNPLANNED));
    }

    static ReleasePlan plan(List<Step> expand, List<Step> backfill, List<Step> contract, List<Unplanned> unplanned) {
        return new ReleasePlan(new PgVersion(15), List.of(new PhasePlan(Phase.EXPAND, expand),
                new PhasePlan(Phase.BACKFILL, backfill), new PhasePlan(Phase.CONTRACT, contract)), unplanned);
    }

    /** Only compatible statements. */
    static ClassifiedSet compatible() {
        return new ClassifiedSet(new PgVersion(16), List.of(result("1", "create customers", "V1__create_customers.sql",
                stmt("CREATE TABLE customers (id bigint)", 1,
                        cls(StatementClass.COMPATIBLE, List.of(), List.of(), List.of(), List.of(), List.of())))));
    }

    /** {@code migrations} migrations of {@code perMigration} blocking statements each, with long SQL. */
    static ClassifiedSet large(int migrations, int perMigration) {
        List<MigrationResult> out = new ArrayList<>();
        for (int m = 1; m <= migrations; m++) {
            List<StatementResult> statements = new ArrayList<>();
            for (int s = 0; s < perMigration; s++) {
                statements.add(new StatementResult(Statement.of("CLUSTER orders_" + m + "_" + s + " USING orders_pkey;\n"
                        + "-- padding\n".repeat(40), 1 + s * 42),
                        new Change.Opaque("test"),
                        cls(StatementClass.BLOCKING, List.of(new TableLock("public.orders", LockMode.ACCESS_EXCLUSIVE)),
                                List.of("public.orders"), List.of(), List.of(CLUSTER), List.of())));
            }
            out.add(new MigrationResult(migration(Integer.toString(m), "m" + m, "V" + m + "__m.sql"),
                    StatementClass.BLOCKING, statements));
        }
        return new ClassifiedSet(PgVersion.DEFAULT, out);
    }

    static Classification cls(StatementClass c, List<TableLock> locks, List<String> rewrites, List<String> scans,
                              List<Finding> findings, List<String> suppressed) {
        return new Classification(c, locks, rewrites, scans, findings, suppressed);
    }

    static StatementResult stmt(String sql, int line, Classification c) {
        return new StatementResult(Statement.of(sql, line), new Change.Opaque("test"), c);
    }

    static MigrationResult result(String version, String description, String script, StatementResult... statements) {
        StatementClass worst = StatementClass.COMPATIBLE;
        for (StatementResult s : statements) worst = StatementClass.max(worst, s.classification().statementClass());
        return new MigrationResult(migration(version, description, script), worst, List.of(statements));
    }

    static Migration migration(String version, String description, String script) {
        return new Migration(version, description, script, MigrationType.VERSIONED, List.of(), true, Set.of());
    }

    static List<Rule> rules() {
        return List.of(rule("rename-column", "Renaming a column breaks the running application"),
                rule("create-index-non-concurrently", "CREATE INDEX without CONCURRENTLY blocks writes"),
                rule("missing-lock-timeout", "DDL without lock_timeout can queue behind a long query"));
    }

    private static Rule rule(String id, String summary) {
        return new Rule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String summary() {
                return summary;
            }

            @Override
            public void check(RuleContext ctx) {}
        };
    }
}
