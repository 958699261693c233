package dev.tandem.cli;

import dev.tandem.catalog.JdbcUrls;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.ConnectionFactory;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where {@code migrate apply / status / rollback} connect, found as psql would find it: {@code --url},
 * else {@code DATABASE_URL}, else the libpq variables ({@code PGHOST}, {@code PGPORT},
 * {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGAPPNAME}).
 * A URL may be JDBC, a libpq URI ({@code postgres://…}) or a libpq {@code key=value} string. A
 * user or password the URL lacks comes from {@code PGUSER} / {@code PGPASSWORD}, and a password
 * found nowhere from {@code PGPASSFILE} or {@code ~/.pgpass}. The password is kept apart from the
 * URL and never appears in {@link #display()} or in an error message.
 *
 * @param jdbcUrl  the URL the driver gets (it may still carry a user, never a password from here)
 * @param user     the user given apart from the URL, or {@code null} (then the URL's)
 * @param password the password, or {@code null}
 * @param display  the URL without secrets, for messages
 */
record ConnectionSettings(String jdbcUrl, String user, String password, String display) {

    @Override
    public String toString() {
        return display; // never the password, even by accident in a log line
    }

    static ConnectionSettings resolve(String url) {
        return resolve(url, System.getenv(), Path.of(System.getProperty("user.home", ".")));
    }

    static ConnectionSettings resolve(String url, Map<String, String> env, Path home) {
        String from;
        String jdbc;
        if (url != null && !url.isBlank()) {
            from = "--url";
            jdbc = toJdbc(url, from);
        } else if (present(env.get("DATABASE_URL"))) {
            from = "DATABASE_URL";
            jdbc = toJdbc(env.get("DATABASE_URL"), from);
        } else {
            from = "the PG* variables";
            jdbc = fromEnvironment(env);
        }
        Properties parsed = org.postgresql.Driver.parseURL(jdbc, new Properties());
        if (parsed == null) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "the database URL from " + from + " ("
                    + JdbcUrls.redact(jdbc) + ") is not one the PostgreSQL driver accepts: write jdbc:postgresql://host:5432/db");
        }
        String user = parsed.getProperty("user") != null ? null : env.get("PGUSER");
        String password = parsed.getProperty("password") != null ? null : env.get("PGPASSWORD");
        if (parsed.getProperty("password") == null && password == null) {
            String u = user != null ? user : parsed.getProperty("user", System.getProperty("user.name"));
            password = PgPass.lookup(env, home, parsed.getProperty("PGHOST", "localhost").split(",")[0],
                    parsed.getProperty("PGPORT", "5432").split(",")[0], parsed.getProperty("PGDBNAME", ""), u);
        }
        return new ConnectionSettings(jdbc, user, password, JdbcUrls.redact(jdbc));
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", "tandem migrate");
        return DriverManager.getConnection(jdbcUrl, p);
    }

    ConnectionFactory factory() {
        return this::connect;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** A JDBC URL from a JDBC URL, a libpq URI or a libpq key=value string. */
    private static String toJdbc(String url, String from) {
        String u = url.trim();
        if (!u.contains("://") && !u.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:") && u.contains("=")) {
            return fromKeywords(Conninfo.parse(u, from), from);
        }
        try {
            return JdbcUrls.normalize(u);
        } catch (TandemException e) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "the database URL from " + from + ": " + e.getMessage());
        }
    }

    private static String fromEnvironment(Map<String, String> env) {
        Map<String, String> k = new LinkedHashMap<>();
        put(k, "host", env.get("PGHOST"));
        put(k, "port", env.get("PGPORT"));
        put(k, "dbname", env.get("PGDATABASE"));
        put(k, "user", env.get("PGUSER"));
        put(k, "sslmode", env.get("PGSSLMODE"));
        put(k, "application_name", env.get("PGAPPNAME"));
        return fromKeywords(k, "the PG* variables");
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (present(value)) m.put(key, value);
    }

    /** libpq keywords as a JDBC URL; the password, if any, stays out of it (returned apart by the caller). */
    private static String fromKeywords(Map<String, String> k, String from) {
        String host = k.getOrDefault("host", "localhost");
        if (host.startsWith("/")) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "host " + host + " from " + from + " is a Unix-domain "
                    + "socket directory, and the JDBC driver speaks TCP only: give a host name such as localhost");
        }
        String port = k.getOrDefault("port", "5432");
        if (!port.matches("\\d{1,5}(,\\d{1,5})*")) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT, "port '" + port + "' from " + from
                    + " is not a port number: write a number such as 5432");
        }
        String[] hosts = host.split(",");
        String[] ports = port.split(",");
        StringBuilder authority = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            if (i > 0) authority.append(',');
            authority.append(hosts[i].trim()).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        String user = k.getOrDefault("user", System.getProperty("user.name"));
        String db = k.getOrDefault("dbname", user);
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(authority).append('/').append(enc(db));
        List<String> params = new java.util.ArrayList<>();
        params.add("user=" + enc(user));
        if (k.containsKey("sslmode")) params.add("sslmode=" + enc(k.get("sslmode")));
        if (k.containsKey("application_name")) params.add("ApplicationName=" + enc(k.get("application_name")));
        if (k.containsKey("connect_timeout")) params.add("connectTimeout=" + enc(k.get("connect_timeout")));
        if (k.containsKey("password")) params.add("password=" + enc(k.get("password")));
        return url.append('?').append(String.join("&", params)).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** libpq's {@code key=value} connection strings: values bare, or single-quoted with \' and \\ escapes. */
    static final class Conninfo {
        private Conninfo() {}

        static Map<String, String> parse(String s, String from) {
            Map<String, String> out = new LinkedHashMap<>();
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n) return out;
                int eq = s.indexOf('=', i);
                if (eq < 0) throw bad(from, "'" + s.substring(i).split("\\s")[0] + "' has no '=value'");
                String key = s.substring(i, eq).trim();
                i = eq + 1;
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                StringBuilder v = new StringBuilder();
                if (i < n && s.charAt(i) == '\'') {
                    i++;
                    while (true) {
                        if (i >= n) throw bad(from, "the value of " + key + " has no closing quote");
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n) v.append(s.charAt(i++));
                        else if (c == '\'') break;
                        else v.append(c);
                    }
                } else {
                    while (i < n && !Character.isWhitespace(s.charAt(i))) {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n) v.append(s.charAt(i++));
                        else v.append(c);
                    }
                }
                if (key.isEmpty()) throw bad(from, "a '=' has no keyword before it");
                out.put(key, v.toString());
            }
        }

        private static TandemException bad(String from, String what) {
            return new TandemException(ErrorCode.INVALID_ARGUMENT, "the connection string from " + from + " is not valid: "
                    + what + " — write it as psql takes it: host=db port=5432 dbname=shop user=app");
        }
    }

    /** The password file of libpq: {@code host:port:database:user:password}, {@code *} matching anything. */
    static final class PgPass {
        private PgPass() {}

        static String lookup(Map<String, String> env, Path home, String host, String port, String db, String user) {
            Path file = present(env.get("PGPASSFILE")) ? Path.of(env.get("PGPASSFILE")) : home.resolve(".pgpass");
            if (!Files.isReadable(file)) return null;
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null; // libpq, too, goes on without it
            }
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#")) continue;
                List<String> f = fields(line);
                if (f.size() != 5) continue;
                if (matches(f.get(0), host) && matches(f.get(1), port) && matches(f.get(2), db) && matches(f.get(3), user)) {
                    return f.get(4);
                }
            }
            return null;
        }

        private static boolean matches(String pattern, String value) {
            return pattern.equals("*") || pattern.equals(value);
        }

        private static List<String> fields(String line) {
            List<String> out = new java.util.ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) cur.append(line.charAt(++i));
                else if (c == ':' && out.size() < 4) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else cur.append(c);
            }
            out.add(cur.toString());
            return out;
        }
    }
}
