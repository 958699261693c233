package dev.tandem.it;

import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the example histories in migrations-examples/ are real: each is applied by its own
 * tool (Flyway's and Liquibase's Java APIs, not Tandem) to a fresh database, and the resulting
 * catalog is checked for the effect of the statements Tandem later classifies. If an example stops
 * applying, the docs and tests built on it describe fiction.
 */
// A regression of the lock problem described in the Flyway test hangs instead of failing; the
// timeout turns that into a failure (the test thread is abandoned, the database dropped at exit).
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExampleHistoriesApplyIT {

    private static final Path EXAMPLES = findExamples();

    /*
     * Flyway and Liquibase log every migration at INFO through java.util.logging, a few hundred
     * lines per run that bury the Maven summary; failures still surface as exceptions. Kept in
     * fields because JUL holds loggers weakly and would forget the level.
     */
    private static final List<java.util.logging.Logger> QUIET_LOGGERS = Stream.of("liquibase", "org.flywaydb")
            .map(java.util.logging.Logger::getLogger)
            .peek(logger -> logger.setLevel(java.util.logging.Level.WARNING))
            .toList();

    @Test
    void flywayShopHistoryAppliesWithFlyway() throws SQLException {
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            FluentConfiguration config = Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("filesystem:" + EXAMPLES.resolve("flyway-shop"));
            // By default Flyway (9.x and later) guards the run with pg_advisory_xact_lock, i.e. it
            // keeps a transaction open on a second connection for the whole migrate. V5's
            // CREATE INDEX CONCURRENTLY waits for every older transaction to end, so it would wait
            // for Flyway forever (flyway/flyway#3497, #3682). The session-level advisory lock
            // avoids that; real projects with CONCURRENTLY need the same setting
            // (flyway.postgresql.transactional.lock=false).
            config.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
            Flyway flyway = config.load();
            MigrateResult result = flyway.migrate();

            assertThat(result.success).isTrue();
            // 22 versioned + 1 repeatable; U3 is a Teams-only undo script and is not applied.
            assertThat(result.migrationsExecuted).isEqualTo(23);
            List<String> versions = Arrays.stream(flyway.info().applied())
                    .filter(m -> m.getVersion() != null)
                    .map(m -> m.getVersion().getVersion())
                    .toList();
            assertThat(versions).startsWith("1", "1.1", "2", "3", "4", "4.1", "5").endsWith("19", "20");
            assertThat(versions).hasSize(22);
            assertThat(Arrays.stream(flyway.info().applied()).map(MigrationInfo::getScript))
                    .contains("R__order_summary_view.sql")
                    .noneMatch(s -> s.startsWith("U"));

            try (Connection c = db.connection()) {
                // V14 renamed a column, V17 dropped one, V18 renamed a table.
                assertThat(tables(c)).containsExactlyInAnyOrder("customers", "products", "orders",
                        "order_lines", "order_events", "flyway_schema_history");
                assertThat(columns(c, "customers")).contains("full_name", "display_name", "phone")
                        .doesNotContain("name", "fax");
                // V4 widened email; V15 widened both ids; V16 tightened two columns.
                assertThat(columnType(c, "customers", "email")).isEqualTo("character varying(255)");
                assertThat(columnType(c, "orders", "id")).isEqualTo("bigint");
                assertThat(columnType(c, "order_lines", "order_id")).isEqualTo("bigint");
                assertThat(notNull(c, "orders", "customer_id")).isTrue();
                assertThat(notNull(c, "order_lines", "currency")).isTrue();
                assertThat(columnType(c, "orders", "public_id")).isEqualTo("uuid");
                // V19's DO block added a column dynamically.
                assertThat(columns(c, "order_events")).contains("source");
                // The quoted camelCase identifier survived as written.
                assertThat(columns(c, "products")).contains("isActive");

                // Every index is valid, including the CONCURRENTLY one (an interrupted concurrent
                // build would leave an invalid index behind).
                assertThat(scalar(c, "SELECT count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
                        + "WHERE t.relnamespace = 'public'::regnamespace AND NOT i.indisvalid")).isEqualTo("0");
                assertThat(indexes(c)).contains("orders_customer_id_idx", "orders_placed_at_idx",
                        "orders_pending_placed_at_idx", "customers_email_lower_idx", "products_sku_key",
                        "product_sales_product_id_idx");
                assertThat(scalar(c, "SELECT pg_get_expr(indpred, indrelid) FROM pg_index "
                        + "WHERE indexrelid = 'orders_pending_placed_at_idx'::regclass"))
                        .isEqualTo("(status = 'pending'::order_status)");
                // V20 clustered orders on the placed_at index.
                assertThat(scalar(c, "SELECT indisclustered::text FROM pg_index "
                        + "WHERE indexrelid = 'orders_placed_at_idx'::regclass")).isEqualTo("true");

                // V4 added the CHECK as NOT VALID, V4.1 validated it; V7's constraints are valid.
                assertThat(constraintsValidated(c)).containsAllEntriesOf(Map.of(
                        "products_price_non_negative", true,
                        "order_items_product_id_fkey", true,
                        "order_items_quantity_positive", true));

                assertThat(column(c, "SELECT unnest(enum_range(NULL::order_status))::text"))
                        .containsExactly("pending", "paid", "shipped", "refunded", "cancelled");
                assertThat(scalar(c, "SELECT col_description('customers'::regclass, "
                        + "(SELECT attnum FROM pg_attribute WHERE attrelid = 'customers'::regclass "
                        + "AND attname = 'display_name'))"))
                        .isEqualTo("Name shown in the storefront header.\n"
                                + "Falls back to the local part of the e-mail address.");
                assertThat(scalar(c, "SELECT obj_description('order_summary'::regclass, 'pg_class')"))
                        .isEqualTo("One row per order, for the support tool");
                assertThat(scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = 'product_sales'::regclass"))
                        .isEqualTo("m");

                // The V11 trigger works: a status change lands in order_events, and the view of R__
                // reads the renamed column and table.
                exec(c, "INSERT INTO customers (email, full_name) VALUES ('ada@example.com', 'Ada')");
                exec(c, "INSERT INTO orders (customer_id) SELECT id FROM customers");
                exec(c, "UPDATE orders SET status = 'paid'");
                assertThat(scalar(c, "SELECT old_status || '->' || new_status FROM order_events"))
                        .isEqualTo("pending->paid");
                assertThat(scalar(c, "SELECT customer_name || ' ' || line_count FROM order_summary"))
                        .isEqualTo("Ada 0");
            }
        }
    }

    @Test
    void liquibaseBillingHistoryAppliesWithLiquibase() throws Exception {
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            try (Connection lc = db.connection()) {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(lc));
                // Changelog paths are resolved against the example directory, as the CLI would
                // with --search-path; no context filter, so the "demo" changeSet runs too.
                Scope.child(Scope.Attr.resourceAccessor.name(),
                        new DirectoryResourceAccessor(EXAMPLES.resolve("liquibase-billing")),
                        () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                                .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, "changelog.xml")
                                .execute());
            }

            try (Connection c = db.connection()) {
                assertThat(scalar(c, "SELECT count(*) FROM databasechangelog")).isEqualTo("21");
                assertThat(column(c, "SELECT DISTINCT filename FROM databasechangelog ORDER BY 1"))
                        .containsExactly("changelogs/001-accounts-and-invoices.xml",
                                "changelogs/002-payments.yaml",
                                "changelogs/003-invoice-evolution.json",
                                "changelogs/004-maintenance.sql");
                // The precondition held on a fresh database, so changeSet 5 really ran.
                assertThat(scalar(c, "SELECT exectype FROM databasechangelog WHERE id = '5-invoices-due-date'"))
                        .isEqualTo("EXECUTED");
                assertThat(scalar(c, "SELECT count(*) FROM accounts")).isEqualTo("2");

                assertThat(tables(c)).contains("accounts", "invoices", "invoice_payments", "invoice_import")
                        .doesNotContain("payments");
                assertThat(columns(c, "invoices")).contains("total_cents", "due_date", "currency")
                        .doesNotContain("amount_cents", "legacy_ref");
                assertThat(columnType(c, "invoices", "id")).isEqualTo("bigint");
                assertThat(columnType(c, "invoices", "currency")).isEqualTo("character(3)");
                assertThat(notNull(c, "invoices", "currency")).isTrue();
                // ${timestamp_type} from the master changelog, in XML, YAML and formatted SQL.
                assertThat(columnType(c, "accounts", "created_at")).isEqualTo("timestamp with time zone");
                assertThat(columnType(c, "invoice_payments", "received_at")).isEqualTo("timestamp with time zone");
                assertThat(columnType(c, "invoice_import", "imported_at")).isEqualTo("timestamp with time zone");

                assertThat(indexes(c)).contains("invoices_account_id_idx", "invoices_status_idx",
                        "payments_external_id_key");
                assertThat(scalar(c, "SELECT indisvalid::text FROM pg_index "
                        + "WHERE indexrelid = 'invoices_status_idx'::regclass")).isEqualTo("true");
                assertThat(constraintsValidated(c)).containsEntry("invoices_account_id_fkey", true)
                        .containsKey("payments_external_id_key");
                // changeSet 20 made the staging table durable.
                assertThat(scalar(c, "SELECT relpersistence::text FROM pg_class "
                        + "WHERE oid = 'invoice_import'::regclass")).isEqualTo("p");
                assertThat(scalar(c, "SELECT col_description('invoices'::regclass, "
                        + "(SELECT attnum FROM pg_attribute WHERE attrelid = 'invoices'::regclass "
                        + "AND attname = 'currency'))")).isEqualTo("ISO 4217 code, upper case");
                assertThat(scalar(c, "SELECT invoice_is_overdue(current_date - 1, 'sent')::text"))
                        .isEqualTo("true");
            }
        }
    }

    /** The repository's migrations-examples/, found upwards from the module directory. */
    private static Path findExamples() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("migrations-examples");
            if (Files.isDirectory(candidate.resolve("flyway-shop"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("migrations-examples/ not found above " + dir);
    }

    private static List<String> tables(Connection c) throws SQLException {
        return column(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    }

    private static List<String> indexes(Connection c) throws SQLException {
        return column(c, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        return column(c, "SELECT attname FROM pg_attribute WHERE attrelid = 'public." + table
                + "'::regclass AND attnum > 0 AND NOT attisdropped");
    }

    private static String columnType(Connection c, String table, String col) throws SQLException {
        return scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public."
                + table + "'::regclass AND attname = '" + col + "'");
    }

    private static boolean notNull(Connection c, String table, String col) throws SQLException {
        return Boolean.parseBoolean(scalar(c, "SELECT attnotnull::text FROM pg_attribute "
                + "WHERE attrelid = 'public." + table + "'::regclass AND attname = '" + col + "'"));
    }

    private static Map<String, Boolean> constraintsValidated(Connection c) throws SQLException {
        Map<String, Boolean> result = new java.util.HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT conname, convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace")) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return result;
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        List<String> values = column(c, sql);
        assertThat(values).as("one row from %s", sql).hasSize(1);
        return values.getFirst();
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
