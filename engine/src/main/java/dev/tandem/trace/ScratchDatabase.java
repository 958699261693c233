package dev.tandem.trace;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of Tandem's own on the server it is given, created empty from {@code template0} and
 * dropped on {@link #close}: traced statements never touch the user's database.
 */
public final class ScratchDatabase implements AutoCloseable {
    private final String adminUrl;
    private final Properties credentials;
    private final String name;

    private ScratchDatabase(String adminUrl, Properties credentials, String name) {
        this.adminUrl = adminUrl;
        this.credentials = credentials;
        this.name = name;
    }

    /**
     * Creates {@code tandem_trace_<random>} through a connection to {@code jdbcUrl} (whose own
     * database is only used to issue CREATE DATABASE).
     */
    public static ScratchDatabase create(String jdbcUrl, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        String name = "tandem_trace_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(jdbcUrl, p); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        }
        return new ScratchDatabase(jdbcUrl, p, name);
    }

    public String name() {
        return name;
    }

    /** A new connection to the scratch database (the caller closes it). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(urlOf(adminUrl, name), credentials);
    }

    /** {@code jdbcUrl} pointing at database {@code db} instead of its own, parameters kept. */
    static String urlOf(String jdbcUrl, String db) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String params = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        if (!base.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + dev.tandem.catalog.JdbcUrls.redact(jdbcUrl));
        }
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + db + params;
    }

    /**
     * Settings of a session on the scratch database that the rules depend on ({@code timezone}:
     * the JDBC driver sends the JVM's zone when it connects), for the classifier, so
     * that rules and trace judge a statement under the same conditions.
     */
    public Map<String, String> session() throws SQLException {
        try (Connection c = connect()) {
            return session(c);
        }
    }

    /** The same, read through a connection to the scratch database the caller already has. */
    public static Map<String, String> session(Connection scratch) throws SQLException {
        try (Statement st = scratch.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('TimeZone')")) {
            rs.next();
            return Map.of("timezone", rs.getString(1));
        }
    }

    /** Drops the scratch database, its sessions too (PostgreSQL 13+: WITH (FORCE)). */
    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, credentials); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
