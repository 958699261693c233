package dev.tandem.catalog;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The database URLs {@code --url} accepts, turned into what the PostgreSQL JDBC driver takes, and
 * rendered for messages without secrets.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>JDBC: {@code jdbc:postgresql://host[:port][,host2[:port]…]/db?user=…&password=…} (also
 *       {@code jdbc:postgresql:db}); passed through unchanged.</li>
 *   <li>libpq URI, as psql, {@code DATABASE_URL} and most platforms print it:
 *       {@code postgresql://[user[:password]@][host][:port][,…][/db][?param=value&…]} (or
 *       {@code postgres://}); user, password and database are percent-decoded as libpq does.
 *       Parameters are passed on, with the libpq names that differ mapped to the driver's:
 *       {@code application_name → ApplicationName}, {@code connect_timeout → connectTimeout},
 *       {@code target_session_attrs → targetServerType}; {@code host}, {@code port},
 *       {@code dbname} and {@code user} / {@code password} override the URI's parts.</li>
 *   <li>A JDBC URL written with libpq's {@code user:password@} part (which the driver rejects)
 *       is converted like a libpq URI.</li>
 * </ul>
 * Unix-domain socket hosts ({@code host=/var/run/postgresql}) are rejected: the JDBC driver
 * speaks TCP only.
 */
public final class JdbcUrls {
    static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final String[] LIBPQ_PREFIXES = {"postgresql://", "postgres://"};
    /** Parameters whose values never appear in messages. */
    private static final String[] SECRET_PARAMETERS = {"password", "sslpassword"};

    private JdbcUrls() {
    }

    /**
     * A JDBC URL for {@code url} (see the class comment for the accepted forms).
     *
     * @throws TandemException {@link ErrorCode#INVALID_ARGUMENT} when it is neither form; the
     *                         message never contains the password
     */
    public static String normalize(String url) {
        if (url == null || url.isBlank()) {
            throw new TandemException(ErrorCode.INVALID_ARGUMENT,
                    "no database URL given: use jdbc:postgresql://host:5432/db or postgresql://user@host:5432/db");
        }
        String u = url.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith(JDBC_PREFIX)) {
            String rest = u.substring(JDBC_PREFIX.length());
            if (rest.startsWith("//") && authority(rest.substring(2)).contains("@")) {
                return fromLibpq(u, rest.substring(2));
            }
            return u;
        }
        for (String p : LIBPQ_PREFIXES) {
            if (lower.startsWith(p)) {
                return fromLibpq(u, u.substring(p.length()));
            }
        }
        throw new TandemException(ErrorCode.INVALID_ARGUMENT, "'" + redact(u)
                + "' is not a PostgreSQL URL: use jdbc:postgresql://host:5432/db or postgresql://user@host:5432/db");
    }

    /**
     * {@code url} without secrets, for messages and logs: the {@code password} and
     * {@code sslpassword} parameters are dropped and a libpq {@code user:password@} loses its
     * password. Works on both forms and never fails (it is used while reporting errors).
     */
    public static String redact(String url) {
        if (url == null) return null;
        String u = url;
        int scheme = u.indexOf("://");
        if (scheme >= 0) {
            int authStart = scheme + 3;
            // up to the query, not to the first '/': a password may hold an unencoded '/' (a
            // database name with '@' loses a little more than it must, which is safe)
            String auth = u.substring(authStart);
            int query = auth.indexOf('?');
            if (query >= 0) auth = auth.substring(0, query);
            int at = auth.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = auth.substring(0, at);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    u = u.substring(0, authStart) + userInfo.substring(0, colon) + u.substring(authStart + at);
                }
            }
        }
        int q = u.indexOf('?');
        if (q < 0) return u;
        StringBuilder kept = new StringBuilder();
        for (String pair : u.substring(q + 1).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (isSecret(name)) continue;
            kept.append(kept.isEmpty() ? "" : "&").append(pair);
        }
        return kept.isEmpty() ? u.substring(0, q) : u.substring(0, q + 1) + kept;
    }

    /**
     * {@code jdbcUrl} without the named parameters (exact, case-sensitive names, as the driver
     * reads them). The reader drops {@code user} / {@code password} from the URL when they are
     * also given separately, because the driver would otherwise let the URL's win.
     */
    static String withoutParameters(String jdbcUrl, String... names) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) return jdbcUrl;
        StringBuilder kept = new StringBuilder();
        outer:
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            for (String drop : names) {
                if (drop.equals(name)) continue outer;
            }
            kept.append(kept.isEmpty() ? "" : "&").append(pair);
        }
        return kept.isEmpty() ? jdbcUrl.substring(0, q) : jdbcUrl.substring(0, q + 1) + kept;
    }

    /** The decoded value of parameter {@code name} in a JDBC URL, or {@code null}. */
    static String parameter(String jdbcUrl, String name) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) return null;
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static boolean isSecret(String parameter) {
        for (String s : SECRET_PARAMETERS) {
            if (s.equalsIgnoreCase(parameter)) return true;
        }
        return false;
    }

    /** The authority part of "user@host:port/db?x" (up to the first '/', '?' or '#'). */
    private static String authority(String afterSlashes) {
        int end = afterSlashes.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = afterSlashes.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        return afterSlashes.substring(0, end);
    }

    /** {@code original} is only used in messages; {@code rest} is everything after "scheme://". */
    private static String fromLibpq(String original, String rest) {
        String auth = authority(rest);
        String afterAuth = rest.substring(auth.length());
        String user = null;
        String password = null;
        String hosts = auth;
        int at = auth.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = auth.substring(0, at);
            hosts = auth.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String database = null;
        String query = "";
        int hash = afterAuth.indexOf('#');
        if (hash >= 0) afterAuth = afterAuth.substring(0, hash);
        int q = afterAuth.indexOf('?');
        String path = q < 0 ? afterAuth : afterAuth.substring(0, q);
        if (q >= 0) query = afterAuth.substring(q + 1);
        if (path.startsWith("/") && path.length() > 1) database = decode(path.substring(1));

        Map<String, String> params = new LinkedHashMap<>();
        String hostParam = null;
        String portParam = null;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (name) {
                case "host" -> hostParam = value;
                case "port" -> portParam = value;
                case "dbname" -> database = value;
                case "user" -> user = value;
                case "password" -> password = value;
                case "application_name" -> params.put("ApplicationName", value);
                case "connect_timeout" -> params.put("connectTimeout", value);
                case "target_session_attrs" -> params.put("targetServerType", targetServerType(value));
                default -> params.put(name, value);
            }
        }
        String hostList = hostParam != null ? hostParam : decode(hosts);
        StringBuilder jdbcHosts = new StringBuilder();
        for (String h : hostList.split(",", -1)) {
            String host = h;
            String port = portParam;
            // host:port, [v6]:port, [v6], or empty (libpq's default: localhost)
            int close = host.lastIndexOf(']');
            int colon = host.lastIndexOf(':');
            if (colon > close && (close >= 0 || host.indexOf(':') == colon)) {
                if (port == null) port = host.substring(colon + 1);
                host = host.substring(0, colon);
            }
            if (host.startsWith("/")) {
                throw new TandemException(ErrorCode.INVALID_ARGUMENT, "'" + redact(original)
                        + "' names a Unix-domain socket, which the JDBC driver cannot use: give a TCP host,"
                        + " e.g. postgresql://localhost:5432/db");
            }
            if (host.isEmpty()) host = "localhost";
            if (!jdbcHosts.isEmpty()) jdbcHosts.append(',');
            jdbcHosts.append(host);
            if (port != null && !port.isEmpty()) jdbcHosts.append(':').append(port);
        }
        StringBuilder jdbc = new StringBuilder(JDBC_PREFIX).append("//").append(jdbcHosts).append('/');
        if (database != null) jdbc.append(encode(database));
        Map<String, String> all = new LinkedHashMap<>();
        if (user != null && !user.isEmpty()) all.put("user", user);
        if (password != null) all.put("password", password);
        all.putAll(params);
        char sep = '?';
        for (Map.Entry<String, String> e : all.entrySet()) {
            jdbc.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return jdbc.toString();
    }

    /** libpq's target_session_attrs values (PG 14 set) in the driver's targetServerType terms. */
    public static String targetServerType(String libpq) {
        return switch (libpq) {
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default -> "any";
        };
    }

    /**
     * libpq percent-decoding: only {@code %XX}, a '+' stays a '+' (URLDecoder would turn it
     * into a space, corrupting passwords).
     */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The driver URL-decodes the database and parameter values (URLDecoder), so encode to match. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
