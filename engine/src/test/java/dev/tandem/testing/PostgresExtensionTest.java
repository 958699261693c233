package dev.tandem.testing;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.tandem.testing.PostgresHarnessTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresExtensionTest {
    private static String databaseOfFirstTest;

    @Test
    @Order(1)
    void injectsTwoDistinctDatabases(TestDatabase one, TestDatabase two) throws SQLException {
        assertThat(one.name()).isNotEqualTo(two.name());
        try (Connection c = one.connection()) {
            assertThat(scalar(c, "SELECT current_database()")).isEqualTo(one.name());
        }
        databaseOfFirstTest = one.name();
    }

    @Test
    @Order(2)
    void dropsTheDatabaseAfterTheTest(TestDatabase db) throws SQLException {
        assertThat(databaseOfFirstTest).isNotNull();
        try (Connection c = db.connection()) {
            assertThat(scalar(c, "SELECT count(*)::text FROM pg_database WHERE datname = '"
                    + databaseOfFirstTest + "'")).isEqualTo("0");
        }
    }
}
