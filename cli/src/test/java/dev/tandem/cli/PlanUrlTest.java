package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code migrate plan --url}: the live schema and Flyway's history decide what is planned. */
class PlanUrlTest {
    private static final Path SHOP = Path.of("../migrations-examples/flyway-shop");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void plansOnlyPendingMigrationsAgainstTheLiveSchema() throws Exception {
        PostgresHarness harness = PostgresHarness.get();
        try (TestDatabase db = harness.newDatabase()) {
            try (Connection c = db.connection(); var st = c.createStatement()) {
                for (String script : List.of("V1__create_customers.sql", "V1.1__create_products.sql", "V2__create_orders.sql")) {
                    st.execute(Files.readString(SHOP.resolve(script)));
                }
                st.execute("""
                        CREATE TABLE flyway_schema_history (
                            installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL,
                            type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int,
                            installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(),
                            execution_time int NOT NULL, success boolean NOT NULL);
                        INSERT INTO flyway_schema_history
                            (installed_rank, version, description, type, script, installed_by, execution_time, success)
                        VALUES (1, '1', 'create customers', 'SQL', 'V1__create_customers.sql', 'ci', 5, true),
                               (2, '1.1', 'create products', 'SQL', 'V1.1__create_products.sql', 'ci', 5, true),
                               (3, '2', 'create orders', 'SQL', 'V2__create_orders.sql', 'ci', 5, true);
                        """);
            }
            String url = url(db);

            PlanCommandTest.Run r = PlanCommandTest.migrate("plan", SHOP.toString(), "--url", url, "--format", "json");

            assertThat(r.err()).contains("3 of 23 migrations already applied, 20 to plan");
            if (db.password() != null && !db.password().isEmpty()) assertThat(r.err()).doesNotContain(db.password());
            JsonNode root = MAPPER.readTree(r.out());
            // The target version is the server's when --pg-version is not given.
            assertThat(root.get("postgresVersion").asText()).isEqualTo(Integer.toString(harness.serverVersionNum() / 10000));
            List<String> scripts = new ArrayList<>();
            root.get("migrations").forEach(m -> scripts.add(m.get("script").asText()));
            assertThat(scripts).doesNotContain("V1__create_customers.sql", "V2__create_orders.sql")
                    .contains("V3__add_customer_contact_fields.sql", "V20__maintenance_cluster_orders_blocking.sql");
            assertThat(r.exit()).isEqualTo(1);

            PlanCommandTest.Run pinned = PlanCommandTest.migrate("plan", SHOP.toString(), "--url", url, "--format", "json",
                    "--pg-version", "13");
            assertThat(MAPPER.readTree(pinned.out()).get("postgresVersion").asText()).isEqualTo("13");
        }
    }

    @Test
    void liquibaseChangeSetsInTheHistoryAreNotPlanned() throws Exception {
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            try (Connection c = db.connection(); var st = c.createStatement()) {
                // As Liquibase records them when run with the changelog under a search path.
                st.execute("""
                        CREATE TABLE databasechangelog (
                            id varchar(255) NOT NULL, author varchar(255) NOT NULL, filename varchar(255) NOT NULL,
                            dateexecuted timestamp NOT NULL, orderexecuted int NOT NULL, exectype varchar(10) NOT NULL);
                        INSERT INTO databasechangelog VALUES
                          ('1-create-accounts', 'billing', 'db/changelogs/001-accounts-and-invoices.xml', now(), 1, 'EXECUTED'),
                          ('2-create-invoices', 'billing', 'db/changelogs/001-accounts-and-invoices.xml', now(), 2, 'EXECUTED'),
                          ('9-create-payments', 'someone-else', 'db/changelogs/002-payments.yaml', now(), 3, 'EXECUTED');
                        """);
            }
            PlanCommandTest.Run r = PlanCommandTest.migrate("plan", "--changelog",
                    "../migrations-examples/liquibase-billing/changelog.xml", "--url", url(db), "--format", "json");
            // 9-create-payments was run by another author: a different changeSet for Liquibase.
            assertThat(r.err()).contains("2 of 21 migrations already applied, 19 to plan");
            List<String> ids = new ArrayList<>();
            MAPPER.readTree(r.out()).get("migrations").forEach(m -> ids.add(m.get("version").asText()));
            assertThat(ids).doesNotContain("1-create-accounts", "2-create-invoices").contains("3-invoices-account-fk",
                    "9-create-payments");
        }
    }

    @Test
    void unreachableDatabaseIsBadInput() {
        PlanCommandTest.Run r = PlanCommandTest.migrate("plan", SHOP.toString(), "--url",
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=x&password=secret-value&connectTimeout=2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("migrate: ").doesNotContain("secret-value").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    /** The database's URL with its user and password: {@code --url} takes them from the URL. */
    private static String url(TestDatabase db) {
        return db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + enc(db.user())
                + (db.password() != null ? "&password=" + enc(db.password()) : "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
