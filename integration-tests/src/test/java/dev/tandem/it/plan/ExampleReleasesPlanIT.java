package dev.tandem.it.plan;

import static dev.tandem.testing.Sql.execute;
import static dev.tandem.testing.Sql.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tandem.catalog.LiveCatalogReader;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Classifier;
import dev.tandem.classify.PgVersion;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.rules.RuleRegistry;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.CatalogSnapshot;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Planner;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.plan.StepRunner;
import dev.tandem.plan.Unplanned;
import dev.tandem.source.FlywayDirectorySource;
import dev.tandem.source.LiquibaseChangelogSource;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import dev.tandem.sql.Change;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;

/**
 * The planner on the example histories of migrations-examples/: a release of the Flyway shop is
 * planned against a live database, carried out step by step, rolled back and carried out again,
 * and must end with the schema Flyway itself produces; and every statement of both whole
 * histories is either planned or reported, none lost.
 */
class ExampleReleasesPlanIT {
    private static final Path EXAMPLES = findExamples();
    private static final PgVersion PG15 = new PgVersion(15);
    /** Flyway logs every migration at INFO through java.util.logging; kept in a field because JUL holds loggers weakly. */
    private static final java.util.logging.Logger FLYWAY_LOG = quiet("org.flywaydb");

    /** Rows the shop has by V4.1, valid for V7's constraints. */
    private static final String DATA = """
            INSERT INTO customers (email, name) SELECT 'c' || i || '@example.com', 'C' || i FROM generate_series(1, 20) i;
            INSERT INTO products (sku, title, price_cents) SELECT 'SKU-' || i, 'P' || i, i * 100 FROM generate_series(1, 10) i;
            INSERT INTO orders (customer_id) SELECT 1 + i % 20 FROM generate_series(1, 40) i;
            INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
                SELECT 1 + i % 40, 1 + i % 10, 1 + i % 3, 100 FROM generate_series(1, 80) i;
            """;

    @Test
    void indexAndConstraintReleaseOfTheShopRunsOnlineAndEndsWhereFlywayEnds() throws SQLException {
        try (TestDatabase a = PostgresHarness.get().newDatabase(); TestDatabase b = PostgresHarness.get().newDatabase();
             Connection ca = a.connection(); Connection cb = b.connection()) {
            flyway(a, "4.1").migrate();
            execute(ca, DATA);
            List<Migration> release = flywayShop().stream().filter(m -> m.version() != null && Set.of("5", "6", "7").contains(m.version())).toList();
            SchemaModel forClassifier = LiveCatalogReader.read(ca, LiveCatalogReader.Options.DEFAULTS).schema();
            ClassifiedSet set = new Classifier(RuleRegistry.all(), PG15).classify(release, forClassifier);
            ReleasePlan plan = new Planner().plan(set, LiveCatalogReader.read(ca, LiveCatalogReader.Options.DEFAULTS).schema());

            assertThat(plan.unplanned()).isEmpty();
            assertThat(plan.steps(Phase.BACKFILL)).isEmpty();
            assertThat(plan.steps(Phase.CONTRACT)).isEmpty();
            assertThat(plan.steps(Phase.EXPAND)).extracting(s -> s.migration(), s -> ((SqlStep) s).sql(), s -> ((SqlStep) s).transactional())
                    .containsExactly(
                            tuple("5", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id)", false),
                            tuple("6", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_at_idx ON orders (placed_at)", false),
                            // suppressed with migrate:ignore: as written
                            tuple("6", "CREATE INDEX orders_pending_placed_at_idx ON orders (placed_at) WHERE status = 'pending'", true),
                            tuple("6", "CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_email_lower_idx ON customers (lower(email))", false),
                            tuple("7", "ALTER TABLE order_items\n    ADD CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id)"
                                    + " REFERENCES products (id) NOT VALID", true),
                            tuple("7", "ALTER TABLE order_items VALIDATE CONSTRAINT order_items_product_id_fkey", true),
                            tuple("7", "ALTER TABLE order_items ADD CONSTRAINT order_items_quantity_positive CHECK (quantity > 0)"
                                    + " NOT VALID", true),
                            tuple("7", "ALTER TABLE order_items VALIDATE CONSTRAINT order_items_quantity_positive", true),
                            tuple("7", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS products_sku_key ON products (sku)", false),
                            tuple("7", "ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE USING INDEX products_sku_key", true));

            CatalogSnapshot before = CatalogSnapshot.of(ca);
            try (StepRunner first = new StepRunner(a.connection())) {
                first.runAll(plan.steps(Phase.EXPAND));
                // the running application keeps working
                execute(ca, "INSERT INTO orders (customer_id) VALUES (3); INSERT INTO order_items (order_id, product_id, quantity,"
                        + " unit_price_cents) VALUES (1, 2, 1, 100); SELECT * FROM orders WHERE customer_id = 3;");
                first.rollbackAll();
            }
            assertThat(CatalogSnapshot.of(ca)).isEqualTo(before);
            try (StepRunner second = new StepRunner(a.connection())) {
                second.runAll(plan.steps(Phase.EXPAND));
            }

            flyway(b, "7").migrate();
            assertThat(CatalogSnapshot.of(ca)).isEqualTo(CatalogSnapshot.of(cb));
        }
    }

    /**
     * A release with a rename, NOT NULLs and a dropped column, while an old and a new app version
     * write: every row written by either version is right after contract, and the schema is what
     * the migrations give when run as written (columns compared without their position: the
     * renamed column is a copy, last in the table).
     */
    @Test
    void renameNotNullAndDropReleaseKeepsBothAppVersionsWorking() throws SQLException {
        try (TestDatabase a = PostgresHarness.get().newDatabase(); TestDatabase b = PostgresHarness.get().newDatabase();
             Connection ca = a.connection(); Connection cb = b.connection()) {
            flyway(a, "13").migrate();
            execute(ca, DATA);
            List<Migration> release = flywayShop().stream()
                    .filter(m -> m.version() != null && Set.of("14", "16", "17").contains(m.version())).toList();
            SchemaModel live = LiveCatalogReader.read(ca, LiveCatalogReader.Options.DEFAULTS).schema();
            ClassifiedSet set = new Classifier(RuleRegistry.all(), PG15).classify(release, live.copy());
            ReleasePlan plan = new Planner().plan(set, live.copy());
            assertThat(plan.unplanned()).isEmpty();
            assertThat(plan.steps(Phase.CONTRACT)).filteredOn(s -> s instanceof SqlStep q && q.destructive())
                    .extracting(Step::migration).containsExactly("14", "17");

            String oldApp = "INSERT INTO customers (email, name, fax) VALUES ('old' || (SELECT count(*) FROM customers) || '@x', 'Old', '1');"
                    + " UPDATE customers SET name = 'Renamed by old' WHERE id = 1;"
                    + " INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (1, 1, 1, 100);";
            String newApp = "INSERT INTO customers (email, full_name) VALUES ('new' || (SELECT count(*) FROM customers) || '@x', 'New');"
                    + " UPDATE customers SET full_name = 'Renamed by new' WHERE id = 2;"
                    + " INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents, currency) VALUES (2, 1, 1, 100, 'USD');";
            CatalogSnapshot before = CatalogSnapshot.of(ca);
            try (StepRunner first = new StepRunner(a.connection())) {
                first.runAll(plan.steps(Phase.EXPAND));
                execute(ca, oldApp);
                execute(ca, newApp);
                first.rollbackAll();
            }
            assertThat(CatalogSnapshot.of(ca)).isEqualTo(before);
            try (StepRunner second = new StepRunner(a.connection())) {
                second.runAll(plan.steps(Phase.EXPAND));
                execute(ca, oldApp);
                execute(ca, newApp);
                second.runAll(plan.steps(Phase.BACKFILL));
                execute(ca, oldApp);
                execute(ca, newApp);
                second.runAll(plan.steps(Phase.CONTRACT));
            }
            execute(ca, newApp);
            assertThat(count(ca, "SELECT count(*) FROM customers WHERE full_name IS NULL")).isZero();
            assertThat(count(ca, "SELECT count(*) FROM customers WHERE full_name = 'Old'")).isEqualTo(3);
            assertThat(count(ca, "SELECT count(*) FROM customers WHERE id = 1 AND full_name = 'Renamed by old'")).isEqualTo(1);
            assertThat(count(ca, "SELECT count(*) FROM customers WHERE id = 2 AND full_name = 'Renamed by new'")).isEqualTo(1);
            assertThat(count(ca, "SELECT count(*) FROM order_items WHERE currency IS NULL")).isZero();
            // the line the new app wrote before the rollback lost its currency with the column (a
            // column new in the release goes with its rollback) and got the backfill value
            assertThat(count(ca, "SELECT count(*) FROM order_items WHERE currency = 'EUR'")).isEqualTo(80 + 3 + 1);
            assertThat(count(ca, "SELECT count(*) FROM order_items WHERE currency = 'USD'")).isEqualTo(3);

            flyway(b, "13").migrate();
            for (Migration m : release) {
                cb.setAutoCommit(false);
                for (dev.tandem.source.Statement st : m.statements()) execute(cb, st.sql());
                cb.commit();
                cb.setAutoCommit(true);
            }
            assertThat(CatalogSnapshot.of(ca).withoutColumnOrder()).isEqualTo(CatalogSnapshot.of(cb).withoutColumnOrder());
        }
    }


    @Test
    void everyStatementOfTheFlywayShopIsPlannedOrReported() {
        ClassifiedSet set = new Classifier(RuleRegistry.all(), PG15).classify(flywayShop(), SchemaModel.offline());
        ReleasePlan plan = new Planner().plan(set);

        assertAccountedFor(set, plan);
        assertThat(plan.unplanned()).filteredOn(u -> u.reason() == Unplanned.Reason.BLOCKING)
                .extracting(Unplanned::migration).contains("20");
        // the rename has its recipe; renaming order_items would run before V16's contract on it
        assertThat(plan.allSteps()).filteredOn(s -> s.migration().equals("14")).isNotEmpty();
        assertThat(plan.unplanned()).filteredOn(u -> u.migration().equals("18")).singleElement().satisfies(u -> {
            assertThat(u.reason()).isEqualTo(Unplanned.Reason.ORDER);
            assertThat(u.message()).contains("migration 16");
        });
        assertThat(plan.steps(Phase.BACKFILL)).filteredOn(s -> s.migration().equals("9")).singleElement()
                .isInstanceOfSatisfying(BackfillStep.class, b -> {
                    assertThat(b.table()).isEqualTo("customers");
                    assertThat(b.key()).containsExactly("id");
                });
    }

    @Test
    void everyStatementOfTheLiquibaseBillingChangelogIsPlannedOrReported() {
        List<Migration> migrations = new LiquibaseChangelogSource(EXAMPLES.resolve("liquibase-billing/changelog.xml"), Map.of(),
                Set.of()).load();
        ClassifiedSet set = new Classifier(RuleRegistry.all(), PG15).classify(migrations, SchemaModel.offline());

        assertAccountedFor(set, new Planner().plan(set));
    }

    /** Each statement has steps, is reported as unplanned, or is BEGIN/COMMIT (no step needed); nothing is lost. */
    private static void assertAccountedFor(ClassifiedSet set, ReleasePlan plan) {
        Set<String> seen = new HashSet<>();
        plan.allSteps().map(s -> s.migration() + ":" + s.line()).forEach(seen::add);
        plan.unplanned().forEach(u -> seen.add(u.migration() + ":" + u.line()));
        int statements = 0;
        for (MigrationResult m : set.migrations()) {
            if (m.migration().type() == MigrationType.UNDO) continue;
            for (StatementResult s : m.statements()) {
                statements++;
                if (s.change() instanceof Change.Transaction t
                        && (t.kind() == Change.TransactionKind.BEGIN || t.kind() == Change.TransactionKind.COMMIT)) {
                    continue;
                }
                assertThat(seen).as(m.migration().script() + " line " + s.statement().line() + ": " + s.statement().sql())
                        .contains(m.migration().label() + ":" + s.statement().line());
            }
        }
        assertThat(statements).isGreaterThan(10);
        for (Step s : plan.allSteps().toList()) {
            assertThat(s.reversible() || s.irreversible() != null).isTrue();
            if (s instanceof SqlStep q) assertThat(q.sql()).isNotBlank().doesNotEndWith(";");
        }
    }

    private static List<Migration> flywayShop() {
        return new FlywayDirectorySource(EXAMPLES.resolve("flyway-shop"), Map.of()).load();
    }

    private static Flyway flyway(TestDatabase db, String target) {
        FluentConfiguration config = Flyway.configure().dataSource(db.dataSource())
                .locations("filesystem:" + EXAMPLES.resolve("flyway-shop")).target(target)
                // R__order_summary_view reads tables of later versions: leave repeatables out
                .repeatableSqlMigrationPrefix("NOT_A_REPEATABLE_");
        // CREATE INDEX CONCURRENTLY (V5) waits for Flyway's own transaction otherwise (flyway/flyway#3497).
        config.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return config.load();
    }


    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static Path findExamples() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("migrations-examples");
            if (Files.isDirectory(candidate.resolve("flyway-shop"))) return candidate;
        }
        throw new IllegalStateException("migrations-examples/ not found");
    }
}
