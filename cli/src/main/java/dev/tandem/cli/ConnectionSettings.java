package dev.tandem.cli;

import dev.tandem.catalog.JdbcUrls;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.exec.ConnectionFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Where {@code migrate apply / status / rollback} connect, found as psql finds it: {@code --url},
 * else {@code DATABASE_URL}, else the libpq variables alone ({@code PGHOST}, {@code PGPORT},
 * {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGAPPNAME}, …)
 * with libpq's defaults (host localhost, port 5432, user the OS user, database the user).
 *
 * <p>A URL may be
 * <ul>
 *   <li>JDBC, {@code jdbc:postgresql://host:5432/db?…}: the driver's own syntax, used as written;
 *       only a user or password it lacks comes from {@code PGUSER} / {@code PGPASSWORD}.</li>
 *   <li>a libpq URI, {@code postgres[ql]://user:pass@h1:5432,h2:5433/db?sslmode=require}: user,
 *       password, host and database percent-decoded; several hosts become the driver's multi-host
 *       form.</li>
 *   <li>a libpq {@code key=value} string, {@code host=db dbname=shop password='se cret'}, with
 *       libpq's quoting ({@code '…'}, {@code \'}, {@code \\}).</li>
 * </ul>
 * For the two libpq forms every setting the string lacks comes from its {@code PG*} variable,
 * as libpq does it. A password found nowhere comes from the password file ({@code passfile},
 * {@code PGPASSFILE} or {@code ~/.pgpass}).
 *
 * <p>Neither user nor password is left in {@link #jdbcUrl()}: they are handed to the driver as
 * properties, and {@link #display()}, {@link #toString()} and every error message leave the
 * password out (an error quotes a URL without its user-info password and without its query).
 *
 * @param jdbcUrl  the URL the driver gets, without user and password
 * @param user     the user name
 * @param password the password, or {@code null} (trust, peer or certificate authentication)
 * @param display  the URL with the user and without secrets, for messages
 */
record ConnectionSettings(String jdbcUrl, String user, String password, String display) {
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final String FORMS = "write postgresql://user@host:5432/db, jdbc:postgresql://host:5432/db"
            + " or host=… port=5432 dbname=… user=…";
    /** The driver's default application name, unless the URL names one (URL parameters win over properties). */
    static final String APPLICATION_NAME = "tandem migrate";

    /**
     * libpq's environment variables, as the keyword each one stands for. They fill what a libpq
     * URI or key=value string lacks, or make up the whole connection when no URL is given.
     */
    private static final Map<String, String> ENV_KEYWORDS = envKeywords();

    private static Map<String, String> envKeywords() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", "PGHOST");
        m.put("hostaddr", "PGHOSTADDR");
        m.put("port", "PGPORT");
        m.put("dbname", "PGDATABASE");
        m.put("user", "PGUSER");
        m.put("password", "PGPASSWORD");
        m.put("passfile", "PGPASSFILE");
        m.put("sslmode", "PGSSLMODE");
        m.put("sslrootcert", "PGSSLROOTCERT");
        m.put("sslcert", "PGSSLCERT");
        m.put("sslkey", "PGSSLKEY");
        m.put("application_name", "PGAPPNAME");
        m.put("connect_timeout", "PGCONNECT_TIMEOUT");
        m.put("target_session_attrs", "PGTARGETSESSIONATTRS");
        m.put("options", "PGOPTIONS");
        return java.util.Collections.unmodifiableMap(m); // ordered: the URL's parameters come out the same every run
    }

    @Override
    public String toString() {
        return display; // a record's own toString would print the password
    }

    /** From {@code --url} (or {@code null}) and the process environment. */
    static ConnectionSettings resolve(String url) {
        return resolve(url, System.getenv(), Path.of(System.getProperty("user.home", ".")));
    }

    /** As {@link #resolve(String)}, with the environment and home directory given; warnings go to standard error. */
    static ConnectionSettings resolve(String url, Map<String, String> env, Path home) {
        return resolve(url, env, home, System.err::println);
    }

    /**
     * As {@link #resolve(String)}, with the environment and home directory given.
     *
     * @param warnings gets what libpq would warn about (a password file others may read, which is
     *                 ignored as libpq ignores it)
     * @throws TandemException {@link ErrorCode#INVALID_ARGUMENT} for a value that is not a
     *                         PostgreSQL URL, connection string, host list or port, naming where it came from
     */
    static ConnectionSettings resolve(String url, Map<String, String> env, Path home, Consumer<String> warnings) {
        if (url != null && !url.isBlank()) return fromUrl(url.trim(), "--url", env, home, warnings);
        String databaseUrl = env.get("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) return fromUrl(databaseUrl.trim(), "DATABASE_URL", env, home, warnings);
        return fromKeywords(new Keywords(), env, home, warnings, "the PG* variables");
    }

    /** A new connection; user and password go as properties, so they never travel in a URL that could be logged. */
    Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", APPLICATION_NAME);
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** For {@link dev.tandem.exec.Executor}: each call opens a new connection. */
    ConnectionFactory factory() {
        return this::connect;
    }

    // ---- the three forms ----

    private static ConnectionSettings fromUrl(String url, String from, Map<String, String> env, Path home,
                                              Consumer<String> warnings) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith(JDBC_PREFIX)) return fromJdbc(url, from, env, home, warnings);
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return fromKeywords(Keywords.ofUri(url, from), env, home, warnings, from);
        }
        if (!SCHEME.matcher(url).find() && url.contains("=")) {
            return fromKeywords(Keywords.ofConninfo(url, from), env, home, warnings, from);
        }
        throw invalid("the database URL from " + from + " (" + quoted(url) + ") is not a PostgreSQL URL or connection string: "
                + FORMS);
    }

    /** The driver's syntax, kept as written: only user and password move out of it. */
    private static ConnectionSettings fromJdbc(String url, String from, Map<String, String> env, Path home,
                                               Consumer<String> warnings) {
        String jdbc;
        try {
            jdbc = JdbcUrls.normalize(url); // converts a libpq-style user:password@ the driver would reject
        } catch (TandemException e) {
            throw invalid("the database URL from " + from + ": " + e.getMessage());
        }
        checkJdbcPorts(jdbc, url, from);
        Properties parsed = org.postgresql.Driver.parseURL(jdbc, new Properties());
        if (parsed == null) {
            throw invalid("the database URL from " + from + " (" + quoted(url) + ") is not one the PostgreSQL driver accepts: "
                    + "write jdbc:postgresql://host:5432/db (several hosts: jdbc:postgresql://h1:5432,h2:5432/db)");
        }
        String user = firstPresent(parsed.getProperty("user"), env.get("PGUSER"), osUser());
        String password = firstPresent(parsed.getProperty("password"), env.get("PGPASSWORD"));
        String jdbcUrl = withoutParameters(jdbc, "user", "password");
        if (password == null) {
            List<String> hosts = List.of(parsed.getProperty("PGHOST", "localhost").split(","));
            List<String> ports = List.of(parsed.getProperty("PGPORT", "5432").split(","));
            String db = firstPresent(parsed.getProperty("PGDBNAME"), user);
            password = PgPass.lookup(passFile(null, env, home), hosts, ports, db, user, warnings);
        }
        return new ConnectionSettings(jdbcUrl, user, password, display(jdbcUrl, user));
    }

    /** libpq keywords (from a URI, a key=value string, or nothing) completed from the environment and the defaults. */
    private static ConnectionSettings fromKeywords(Keywords k, Map<String, String> env, Path home, Consumer<String> warnings,
                                                   String from) {
        for (Map.Entry<String, String> e : ENV_KEYWORDS.entrySet()) {
            String value = env.get(e.getValue());
            if (!k.has(e.getKey()) && present(value)) k.put(e.getKey(), value, e.getValue());
        }
        if (k.has("service")) {
            throw invalid("service=" + k.value("service") + " from " + k.from("service") + ": connection service files"
                    + " (pg_service.conf) are not supported; give host, port and dbname instead");
        }
        String user = k.has("user") ? k.value("user") : osUser();
        String db = k.has("dbname") ? k.value("dbname") : user;
        String hostKey = k.has("hostaddr") ? "hostaddr" : "host"; // libpq connects to hostaddr when given
        List<String> hosts = List.of((k.has(hostKey) ? k.value(hostKey) : "localhost").split(",", -1));
        List<String> ports = List.of((k.has("port") ? k.value("port") : "5432").split(",", -1));
        if (ports.size() != 1 && ports.size() != hosts.size()) {
            throw invalid(hosts.size() + " hosts (from " + k.from(hostKey) + ") but " + ports.size() + " ports (from "
                    + k.from("port") + "): give one port for every host, or a single port for all of them");
        }
        StringBuilder authority = new StringBuilder();
        List<String> hostNames = new ArrayList<>();
        List<String> portNumbers = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).trim();
            if (host.isEmpty()) host = "localhost";
            if (host.startsWith("/")) {
                throw invalid("the host from " + k.from(hostKey) + " is a Unix-domain socket directory (" + host
                        + "), and the JDBC driver speaks TCP only: give a host name or address, e.g. localhost");
            }
            String port = ports.get(ports.size() == 1 ? 0 : i).trim();
            if (port.isEmpty()) port = "5432";
            checkPort(port, k.origin("port"), k.from("port"));
            hostNames.add(host);
            portNumbers.add(port);
            if (i > 0) authority.append(',');
            // an IPv6 address needs brackets in the URL
            authority.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host).append(':').append(port);
        }
        StringBuilder url = new StringBuilder(JDBC_PREFIX).append("//").append(authority).append('/').append(encode(db));
        char sep = '?';
        for (Map.Entry<String, String> p : k.driverParameters().entrySet()) {
            url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        String jdbcUrl = url.toString();
        if (org.postgresql.Driver.parseURL(jdbcUrl, new Properties()) == null) {
            throw invalid("the connection settings from " + from + " (" + display(jdbcUrl, user)
                    + ") do not make a URL the PostgreSQL driver accepts: " + FORMS);
        }
        String password = k.has("password") ? k.value("password") : null;
        if (password == null) {
            if (k.has("hostaddr") && k.has("host")) hostNames = List.of(k.value("host").split(",", -1));
            password = PgPass.lookup(passFile(k.has("passfile") ? k.value("passfile") : null, env, home), hostNames,
                    portNumbers, db, user, warnings);
        }
        return new ConnectionSettings(jdbcUrl, user, password, display(jdbcUrl, user));
    }

    // ---- checks and helpers ----

    /** Checked before the driver parses the URL: it would only log a warning and say no. */
    private static void checkJdbcPorts(String jdbc, String raw, String from) {
        String rest = jdbc.substring(JDBC_PREFIX.length());
        if (!rest.startsWith("//")) return;
        String authority = rest.substring(2).split("[/?#]", 2)[0];
        for (String hostPort : authority.split(",", -1)) {
            int close = hostPort.lastIndexOf(']');
            int colon = hostPort.lastIndexOf(':');
            if (colon > close && !validPort(hostPort.substring(colon + 1))) {
                throw invalid("the port in the database URL from " + from + " (" + quoted(raw) + ") is not a number from 1"
                        + " to 65535: write jdbc:postgresql://host:5432/db");
            }
        }
    }

    /**
     * @param origin the variable the port came from, or {@code null} when it came from a URL or
     *               string (then the value is not quoted: a password with an unencoded '/' or '@'
     *               can end up parsed as a port)
     */
    private static void checkPort(String port, String origin, String from) {
        if (validPort(port)) return;
        if (origin != null && origin.startsWith("PG")) {
            throw invalid(origin + " '" + port + "' is not a port number: write a number from 1 to 65535, e.g. "
                    + origin + "=5432 (several hosts: one port for each, comma-separated)");
        }
        throw invalid("the port given by " + from + " is not a number from 1 to 65535: write"
                + " postgresql://user@host:5432/db or port=5432 (if the password contains / ? @ or :, percent-encode them"
                + " as %2F %3F %40 %3A)");
    }

    private static boolean validPort(String port) {
        if (!PORT.matcher(port).matches()) return false;
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static String osUser() {
        return System.getProperty("user.name");
    }

    private static Path passFile(String keyword, Map<String, String> env, Path home) {
        if (present(keyword)) return Path.of(keyword);
        if (present(env.get("PGPASSFILE"))) return Path.of(env.get("PGPASSFILE"));
        return home.resolve(".pgpass");
    }

    /** The URL with the user and without secrets. */
    private static String display(String jdbcUrl, String user) {
        int q = jdbcUrl.indexOf('?');
        String userParameter = "user=" + encode(user);
        String withUser = q < 0 ? jdbcUrl + "?" + userParameter
                : jdbcUrl.substring(0, q + 1) + userParameter + "&" + jdbcUrl.substring(q + 1);
        return JdbcUrls.redact(withUser);
    }

    /**
     * A URL as the user wrote it, safe for an error message even when it is malformed: everything
     * between the first ':' of the user-info and the last '@' goes (a password with an unencoded
     * '/' or '@' stays out too), and so does the query (which may carry password=).
     */
    static String quoted(String raw) {
        String u = raw;
        int scheme = u.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = u.lastIndexOf('@');
        if (at >= start) {
            int colon = u.indexOf(':', start);
            if (colon >= 0 && colon < at) u = u.substring(0, colon) + u.substring(at);
        }
        int q = u.indexOf('?');
        if (q >= 0) u = u.substring(0, q) + "?…";
        return u;
    }

    /** {@code jdbcUrl} without the named parameters (exact names, as the driver reads them). */
    private static String withoutParameters(String jdbcUrl, String... names) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) return jdbcUrl;
        List<String> kept = new ArrayList<>();
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            if (pair.isEmpty()) continue;
            String name = pair.split("=", 2)[0];
            if (!List.of(names).contains(name)) kept.add(pair);
        }
        return kept.isEmpty() ? jdbcUrl.substring(0, q) : jdbcUrl.substring(0, q + 1) + String.join("&", kept);
    }

    private static String firstPresent(String... values) {
        for (String v : values) {
            if (present(v)) return v;
        }
        return null;
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    /** The driver URL-decodes database and parameter values ('+' as a space), so encode to match. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static TandemException invalid(String message) {
        return new TandemException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /**
     * libpq connection keywords with where each came from ("--url", "DATABASE_URL", or the
     * variable's name). An empty value counts as not given, as in libpq.
     */
    static final class Keywords {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> origins = new LinkedHashMap<>();

        boolean has(String key) {
            return present(values.get(key));
        }

        String value(String key) {
            return values.get(key);
        }

        /** The variable or option the value came from; for a default, "the default". */
        String from(String key) {
            return origins.getOrDefault(key, "the default");
        }

        String origin(String key) {
            return origins.get(key);
        }

        void put(String key, String value, String origin) {
            values.put(key, value);
            origins.put(key, origin);
        }

        /** The keywords the driver takes as URL parameters, under its names; the rest are the URL's parts or ours. */
        Map<String, String> driverParameters() {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (!present(e.getValue())) continue;
                switch (e.getKey()) {
                    case "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service" -> { }
                    case "application_name" -> out.put("ApplicationName", e.getValue());
                    case "fallback_application_name" -> {
                        if (!has("application_name")) out.put("ApplicationName", e.getValue());
                    }
                    case "connect_timeout" -> out.put("connectTimeout", e.getValue());
                    case "target_session_attrs" -> out.put("targetServerType", JdbcUrls.targetServerType(e.getValue()));
                    case "gssencmode" -> out.put("gssEncMode", e.getValue());
                    // sslmode, sslcert, sslkey, sslrootcert, sslpassword, options: the same names in the driver;
                    // anything else is passed on as written (the driver ignores what it does not know)
                    default -> out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }

        /**
         * {@code postgres[ql]://[user[:password]@][host][:port][,host[:port]…][/dbname][?key=value&…]}
         * as libpq reads it: parts percent-decoded ({@code %XX} only: '+' is a plus); query keys are
         * libpq keywords and win over the parts.
         */
        static Keywords ofUri(String uri, String from) {
            Keywords k = new Keywords();
            String rest = uri.substring(uri.indexOf("://") + 3);
            int q = rest.indexOf('?');
            String query = q < 0 ? "" : rest.substring(q + 1);
            String beforeQuery = q < 0 ? rest : rest.substring(0, q);
            int slash = beforeQuery.indexOf('/');
            String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
            String path = slash < 0 ? "" : beforeQuery.substring(slash + 1);
            // The last '@' ends the user-info: a password with an unencoded '@' still means what its writer meant.
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                k.put("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user", uri, from), from);
                if (colon >= 0) k.put("password", decode(userInfo.substring(colon + 1), "password", uri, from), from);
            }
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (String hostPort : authority.split(",", -1)) {
                String host = hostPort;
                String port = "";
                int close = hostPort.lastIndexOf(']');
                int colon = hostPort.lastIndexOf(':');
                if (hostPort.startsWith("[")) {
                    if (close < 0) {
                        throw invalid("the database URL from " + from + " (" + quoted(uri) + ") has an IPv6 address without"
                                + " its closing ']': write postgresql://user@[::1]:5432/db");
                    }
                    host = hostPort.substring(1, close);
                    if (colon > close) port = hostPort.substring(colon + 1);
                } else if (colon >= 0) {
                    host = hostPort.substring(0, colon);
                    port = hostPort.substring(colon + 1);
                }
                hosts.add(decode(host, "host", uri, from));
                ports.add(port);
            }
            if (hosts.stream().anyMatch(h -> !h.isEmpty())) k.put("host", String.join(",", hosts), from);
            if (ports.stream().anyMatch(p -> !p.isEmpty())) k.put("port", String.join(",", ports), from);
            if (!path.isEmpty()) k.put("dbname", decode(path, "database", uri, from), from);
            int n = 0;
            for (String pair : query.split("&")) {
                n++;
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    // not quoted: it may be the tail of a password whose '&' was not encoded
                    throw invalid("query parameter " + n + " of the database URL from " + from + " (" + quoted(uri)
                            + ") is not key=value: write ?sslmode=require&application_name=… (a '&' in a value as %26)");
                }
                String key = decode(pair.substring(0, eq), "query", uri, from);
                k.put(key, decode(pair.substring(eq + 1), "query", uri, from), from);
            }
            return k;
        }

        /** libpq's percent-decoding: {@code %XX} only; a bad escape is an error, not left as it is. */
        private static String decode(String s, String part, String uri, String from) {
            if (s.indexOf('%') < 0) return s;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%') {
                    int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                    int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                    if (lo < 0) {
                        throw invalid("the " + part + " in the database URL from " + from + " (" + quoted(uri) + ") has a '%'"
                                + " that is not followed by two hex digits: write a '%' itself as %25");
                    }
                    bytes.write(hi * 16 + lo);
                    i += 2;
                } else {
                    byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    bytes.write(b, 0, b.length);
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /**
         * libpq's {@code key=value} string: keys and values separated by whitespace, whitespace
         * around '=' allowed; a value is bare (a backslash escapes the next character) or
         * single-quoted ({@code \'} and {@code \\} inside). Later keys win. Error messages name
         * keys and positions, never values.
         */
        static Keywords ofConninfo(String s, String from) {
            Keywords k = new Keywords();
            int i = 0;
            int n = s.length();
            int word = 0;
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n) return k;
                word++;
                int start = i;
                while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) i++;
                String key = s.substring(start, i);
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n || s.charAt(i) != '=' || key.isEmpty()) {
                    throw badConninfo(from, key.isEmpty() ? "setting " + word + " has no name before its '='"
                            : "setting " + word + " has no '=' after its name (quote a value with spaces: password='se cret')");
                }
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                StringBuilder v = new StringBuilder();
                if (i < n && s.charAt(i) == '\'') {
                    i++;
                    while (true) {
                        if (i >= n) throw badConninfo(from, "the quoted value of " + key + " has no closing quote");
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
                k.put(key, v.toString(), from);
            }
        }

        private static TandemException badConninfo(String from, String what) {
            return invalid("the connection string from " + from + " is not valid: " + what
                    + " — write it as psql takes it: host=db port=5432 dbname=shop user=app password='se cret'");
        }
    }

    /**
     * libpq's password file: lines {@code host:port:database:user:password}; a field that is
     * exactly {@code *} matches anything, {@code \:} and {@code \\} are a literal colon and
     * backslash, {@code #} starts a comment line. The first matching line wins. As libpq does,
     * a file that group or others may read is ignored (with a warning).
     */
    static final class PgPass {
        private PgPass() {}

        /** The password for the first of {@code hosts} (each with its port) that a line matches, or {@code null}. */
        static String lookup(Path file, List<String> hosts, List<String> ports, String db, String user,
                             Consumer<String> warnings) {
            if (!Files.exists(file)) return null;
            if (!Files.isRegularFile(file)) {
                warnings.accept("WARNING: password file \"" + file + "\" is not a plain file");
                return null;
            }
            if (!privateToOwner(file)) {
                warnings.accept("WARNING: password file \"" + file + "\" has group or world access; permissions should be"
                        + " u=rw (0600) or less; it is ignored (chmod 600 " + file + ")");
                return null;
            }
            List<List<String>> lines;
            try {
                lines = parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return null; // libpq, too, goes on without it
            }
            for (int i = 0; i < hosts.size(); i++) {
                String host = unbracket(hosts.get(i));
                String port = ports.get(ports.size() == 1 ? 0 : Math.min(i, ports.size() - 1));
                for (List<String> f : lines) {
                    if (matches(f.get(0), host) && matches(f.get(1), port) && matches(f.get(2), db)
                            && matches(f.get(3), user)) {
                        String password = f.get(4);
                        return password.isEmpty() ? null : password;
                    }
                }
            }
            return null;
        }

        private static boolean privateToOwner(Path file) {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view == null) return true; // not POSIX (Windows): libpq does not check either
            try {
                Set<PosixFilePermission> open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                        PosixFilePermission.OTHERS_EXECUTE);
                open.retainAll(Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).permissions());
                return open.isEmpty();
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * Each usable line as five de-escaped fields. A field of the first four that is a lone
         * unescaped {@code *} becomes {@link #WILDCARD}, so that {@code \*} stays a literal star; the
         * password ends at the first unescaped ':' (as in libpq since PostgreSQL 11).
         */
        static List<List<String>> parse(String content) {
            List<List<String>> out = new ArrayList<>();
            for (String line : content.split("\n")) {
                if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
                if (line.isEmpty() || line.startsWith("#")) continue;
                List<String> fields = new ArrayList<>();
                StringBuilder cur = new StringBuilder();
                boolean escaped = false;
                for (int i = 0; i < line.length() && fields.size() < 5; i++) {
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < line.length()) {
                        cur.append(line.charAt(++i));
                        escaped = true;
                    } else if (c == ':') {
                        fields.add(field(cur, escaped, fields.size()));
                        cur.setLength(0);
                        escaped = false;
                    } else {
                        cur.append(c);
                    }
                }
                if (fields.size() < 5) fields.add(field(cur, escaped, fields.size()));
                if (fields.size() == 5) out.add(fields);
            }
            return out;
        }

        private static final String WILDCARD = "\0*";

        private static String field(StringBuilder cur, boolean escaped, int index) {
            String s = cur.toString();
            return index < 4 && !escaped && s.equals("*") ? WILDCARD : s;
        }

        private static boolean matches(String field, String value) {
            return field.equals(WILDCARD) || field.equals(value);
        }

        private static String unbracket(String host) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }
    }
}
