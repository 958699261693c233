package dev.tandem.testing;

import dev.tandem.testing.PostgresHarness.Source;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.tandem.testing.PostgresHarnessTest.exec;
import static dev.tandem.testing.PostgresHarnessTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source (c), started explicitly even where CI has a server URL: the embedded server is the
 * fallback for every developer without one, and as root it only works through `unshare -U`
 * (see {@link EmbeddedServer}), which is exactly what breaks silently when nobody runs it.
 */
class EmbeddedPostgresSourceTest {

    @Test
    void embeddedServerStartsCreatesDatabasesAndStops() throws SQLException {
        PostgresHarness embedded = PostgresHarness.start(Source.EMBEDDED);
        try (TestDatabase a = embedded.newDatabase(); TestDatabase b = embedded.newDatabase()) {
            assertThat(embedded.source()).isEqualTo(Source.EMBEDDED);
            try (Connection ca = a.connection(); Connection cb = b.connection()) {
                exec(ca, "CREATE TABLE t (id int)");
                assertThat(scalar(ca, "SELECT to_regclass('t')::text")).isEqualTo("t");
                assertThat(scalar(cb, "SELECT to_regclass('t')::text")).isNull();
                assertThat(scalar(ca, "SELECT version()")).startsWith("PostgreSQL ");
            }
        } finally {
            embedded.stop();
        }
    }
}
