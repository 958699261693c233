package dev.tandem.testing;

import dev.tandem.testing.PostgresHarness.Source;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness against the real server it picks for this JVM (see {@link PostgresHarness}). */
class PostgresHarnessTest {

    @Test
    void twoDatabasesAreDistinctAndDroppedOnClose() throws SQLException {
        PostgresHarness harness = PostgresHarness.get();
        // first is closed by hand mid-test (that is what is under test), so it is not a resource
        // of the try; closing twice is a no-op.
        TestDatabase first = harness.newDatabase();
        String firstName = first.name();
        try (TestDatabase second = harness.newDatabase()) {
            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());

            try (Connection c1 = first.connection(); Connection c2 = second.connection()) {
                assertThat(scalar(c1, "SELECT current_database()")).isEqualTo(first.name());
                assertThat(scalar(c2, "SELECT current_database()")).isEqualTo(second.name());

                exec(c1, "CREATE TABLE only_in_first (id int)");
                assertThat(scalar(c1, "SELECT to_regclass('only_in_first')::text")).isEqualTo("only_in_first");
                assertThat(scalar(c2, "SELECT to_regclass('only_in_first')::text")).isNull();

                // The databases are built from template0 with a fixed encoding and locale.
                assertThat(scalar(c2, "SELECT pg_encoding_to_char(encoding) || '/' || datcollate "
                        + "FROM pg_database WHERE datname = current_database()")).isEqualTo("UTF8/C");
            }

            // A connection the "test" forgets to close must not keep the database alive.
            Connection leaked = first.connection();
            first.close();
            assertThat(leaked.isValid(2)).isFalse();
            leaked.close();

            try (Connection c2 = second.connection()) {
                assertThat(scalar(c2, "SELECT count(*)::text FROM pg_database WHERE datname = '"
                        + firstName + "'")).isEqualTo("0");
            }
            assertThatThrownBy(first::connection).hasMessageContaining("already dropped");
        } finally {
            first.close();
        }
    }

    @Test
    void chosenSourceMatchesTheEnvironment() {
        Source expected = PostgresHarness.chooseSource(
                name -> System.getenv(name) != null ? System.getenv(name) : System.getProperty(name),
                () -> PostgresHarness.get().source() == Source.TESTCONTAINERS);
        assertThat(PostgresHarness.get().source()).isEqualTo(expected);
        assertThat(PostgresHarness.get().serverVersionNum()).isGreaterThanOrEqualTo(130000);
    }

    @Test
    void urlFromEnvironmentWinsAndDockerIsNotProbed() {
        AtomicBoolean probed = new AtomicBoolean();
        Source source = PostgresHarness.chooseSource(
                Map.of(PostgresHarness.ENV_URL, "jdbc:postgresql://db:5432/postgres")::get,
                () -> probed.getAndSet(true));
        assertThat(source).isEqualTo(Source.URL);
        assertThat(probed).isFalse();
    }

    @Test
    void testcontainersWhenNoUrlButDocker() {
        assertThat(PostgresHarness.chooseSource(Map.<String, String>of()::get, () -> true))
                .isEqualTo(Source.TESTCONTAINERS);
        // A blank variable (e.g. `export TANDEM_TEST_JDBC_URL=` in a CI file) counts as unset.
        assertThat(PostgresHarness.chooseSource(Map.of(PostgresHarness.ENV_URL, " ")::get, () -> true))
                .isEqualTo(Source.TESTCONTAINERS);
    }

    @Test
    void embeddedWhenNeitherUrlNorDocker() {
        assertThat(PostgresHarness.chooseSource(Map.<String, String>of()::get, () -> false))
                .isEqualTo(Source.EMBEDDED);
    }

    @Test
    void forcedSourceOverridesTheOrder() {
        Map<String, String> env = Map.of(
                PostgresHarness.ENV_URL, "jdbc:postgresql://db:5432/postgres",
                PostgresHarness.ENV_FORCE, "embedded");
        assertThat(PostgresHarness.chooseSource(env::get, () -> true)).isEqualTo(Source.EMBEDDED);
        assertThat(PostgresHarness.chooseSource(Map.of(PostgresHarness.ENV_FORCE, "Testcontainers")::get,
                () -> false)).isEqualTo(Source.TESTCONTAINERS);
        assertThatThrownBy(() -> PostgresHarness.chooseSource(Map.of(PostgresHarness.ENV_FORCE, "url")::get,
                () -> true)).hasMessageContaining(PostgresHarness.ENV_URL);
        assertThatThrownBy(() -> PostgresHarness.chooseSource(Map.of(PostgresHarness.ENV_FORCE, "h2")::get,
                () -> true)).hasMessageContaining("url, testcontainers, embedded");
    }

    @Test
    void jdbcUrlKeepsHostsAndParameters() {
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "t1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/t1");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://h1:5432,h2:5433/app?sslmode=disable&user=x", "t1"))
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/t1?sslmode=disable&user=x");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://localhost", "t1"))
                .isEqualTo("jdbc:postgresql://localhost/t1");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://localhost/?user=me", "t1"))
                .isEqualTo("jdbc:postgresql://localhost/t1?user=me");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql:postgres", "t1"))
                .isEqualTo("jdbc:postgresql:t1");
        assertThatThrownBy(() -> JdbcUrls.withDatabase("jdbc:mysql://h/db", "t1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
