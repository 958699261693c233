package dev.tandem.testing;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One fresh database on the test server, owned by one test. {@link #close()} drops it, with
 * {@code WITH (FORCE)} so connections a test leaked do not keep it alive.
 */
public final class TestDatabase implements AutoCloseable {
    private final PostgresHarness harness;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestDatabase(PostgresHarness harness, String name, String jdbcUrl, String user, String password) {
        this.harness = harness;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** The database name (unique per server; created from template0, UTF8, C locale). */
    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The role tests connect as: a superuser on Testcontainers and embedded servers. */
    public String user() {
        return user;
    }

    /** The password, or {@code null} when the server needs none (trust authentication). */
    public String password() {
        return password;
    }

    /** A new connection (autocommit on); the caller closes it. */
    public Connection connection() throws SQLException {
        ensureOpen();
        return PostgresHarness.connect(jdbcUrl, user, password);
    }

    /** A non-pooling DataSource, for libraries that want one (Flyway, Liquibase, Jdbi). */
    public DataSource dataSource() {
        ensureOpen();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** The harness (server) this database lives on. */
    public PostgresHarness harness() {
        return harness;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            harness.dropDatabase(name);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("test database " + name + " was already dropped");
        }
    }

    @Override
    public String toString() {
        return name + " (" + jdbcUrl + ")";
    }
}
