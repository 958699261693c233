package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

/** Where apply/status/rollback connect: --url, DATABASE_URL, the PG* variables and ~/.pgpass, as psql would. */
class ConnectionSettingsTest {
    private static final String OS_USER = System.getProperty("user.name");

    @TempDir
    Path home;

    private final List<String> warnings = new ArrayList<>();

    private ConnectionSettings resolve(String url, Map<String, String> env) {
        return ConnectionSettings.resolve(url, env, home, warnings::add);
    }

    /** What the driver reads from the URL: the proof that encoding and decoding line up. */
    private static Properties driverView(ConnectionSettings s) {
        Properties p = Driver.parseURL(s.jdbcUrl(), new Properties());
        assertThat(p).as("driver accepts %s", s.jdbcUrl()).isNotNull();
        return p;
    }

    private Path pgpass(String content) throws Exception {
        Path file = home.resolve(".pgpass");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    // ---- the input forms ----

    @Test
    void aJdbcUrlIsUsedAsWrittenWithUserAndPasswordMovedOutOfIt() {
        ConnectionSettings s = resolve("jdbc:postgresql://db.internal:5433/shop?user=app&password=s3cret&sslmode=require",
                Map.of());
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/shop?sslmode=require");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.display()).isEqualTo("jdbc:postgresql://db.internal:5433/shop?user=app&sslmode=require");

        // libpq's user:password@ in a JDBC URL (which the driver rejects) is understood too
        ConnectionSettings at = resolve("jdbc:postgresql://app:pw@h:5432/db", Map.of());
        assertThat(at.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(at.user()).isEqualTo("app");
        assertThat(at.password()).isEqualTo("pw");

        // a JDBC URL is the driver's syntax: PG* variables other than user and password do not change it
        ConnectionSettings plain = resolve("jdbc:postgresql:shop", Map.of("PGHOST", "elsewhere", "PGUSER", "u"));
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql:shop");
        assertThat(plain.user()).isEqualTo("u");
    }

    @Test
    void aLibpqUriBecomesAJdbcUrlWithDecodedCredentialsKeptApart() {
        ConnectionSettings s = resolve("postgresql://app:s3cret@db.internal:5433/shop?sslmode=require"
                + "&application_name=ci%20run&connect_timeout=3&target_session_attrs=read-write", Map.of());
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/shop?sslmode=require"
                + "&ApplicationName=ci+run&connectTimeout=3&targetServerType=primary");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("s3cret");
        Properties p = driverView(s);
        assertThat(p.getProperty("ApplicationName")).isEqualTo("ci run");
        assertThat(p.getProperty("user")).isNull();
        assertThat(p.getProperty("password")).isNull();

        // postgres:// as Heroku and most platforms write it; libpq's defaults for what it lacks
        ConnectionSettings bare = resolve("postgres://db", Map.of());
        assertThat(bare.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/" + OS_USER);
        assertThat(bare.user()).isEqualTo(OS_USER);
        assertThat(bare.password()).isNull();
    }

    @Test
    void percentEncodedPartsAreDecodedAsLibpqDoes() {
        ConnectionSettings s = resolve("postgresql://us%40er:p%40ss+w%3Ard%2F%25@localhost/my%20db", Map.of());
        assertThat(s.user()).isEqualTo("us@er");
        assertThat(s.password()).isEqualTo("p@ss+w:rd/%"); // '+' stays a plus: libpq decodes %XX only
        assertThat(driverView(s).getProperty("PGDBNAME")).isEqualTo("my db");
        assertThat(resolve("postgresql://%E2%82%AC@h/d", Map.of()).user()).isEqualTo("€");
        // an unencoded '@' in the password: the last '@' ends the user-info
        assertThat(resolve("postgresql://app:p@ss@h/db", Map.of()).password()).isEqualTo("p@ss");
    }

    @Test
    void aLibpqKeywordStringFollowsLibpqsQuotingRules() {
        ConnectionSettings s = resolve("host=db port=5432 dbname=shop user=app password='se cret' sslmode=require", Map.of());
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shop?sslmode=require");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("se cret");

        ConnectionSettings quoted = resolve("  host = db   dbname='my shop' user=o\\'neil password='it\\'s \\\\ x' ", Map.of());
        assertThat(quoted.user()).isEqualTo("o'neil");
        assertThat(quoted.password()).isEqualTo("it's \\ x");
        assertThat(driverView(quoted).getProperty("PGDBNAME")).isEqualTo("my shop");
        assertThat(resolve("host=db password=a\\ b", Map.of()).password()).isEqualTo("a b");
        assertThat(resolve("host=db password=''", Map.of()).password()).isNull(); // empty counts as not given
        assertThat(resolve("host=db user=a user=b", Map.of()).user()).isEqualTo("b"); // later keys win
    }

    @Test
    void severalHostsBecomeTheDriversMultiHostForm() {
        assertThat(resolve("postgresql://app@h1:5432,h2:5433/shop", Map.of()).jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/shop");
        // a host without a port gets libpq's default, not another host's
        assertThat(resolve("postgresql://app@h1,h2:6000/shop", Map.of()).jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:6000/shop");
        assertThat(resolve("host=h1,h2,h3 port=7000 dbname=d user=u", Map.of()).jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:7000,h2:7000,h3:7000/d");
        assertThat(resolve("postgresql://u@[::1]:5433,[fe80::1]/d", Map.of()).jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5433,[fe80::1]:5432/d");
        assertThat(resolve("host=::1 dbname=d user=u", Map.of()).jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/d");

        Properties p = driverView(resolve(null, Map.of("PGHOST", "h1,h2", "PGPORT", "5433,5434", "PGUSER", "app")));
        assertThat(p.getProperty("PGHOST")).isEqualTo("h1,h2");
        assertThat(p.getProperty("PGPORT")).isEqualTo("5433,5434");
    }

    // ---- precedence ----

    @Test
    void theUrlOptionWinsOverDatabaseUrlWhichWinsOverThePgVariables() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgres://env@envhost/envdb", "PGHOST", "pghost",
                "PGDATABASE", "pgdb", "PGUSER", "pguser");
        assertThat(resolve("jdbc:postgresql://opt:6000/optdb", env).jdbcUrl()).isEqualTo("jdbc:postgresql://opt:6000/optdb");
        ConnectionSettings fromEnv = resolve(null, env);
        assertThat(fromEnv.jdbcUrl()).isEqualTo("jdbc:postgresql://envhost:5432/envdb");
        assertThat(fromEnv.user()).isEqualTo("env");
        assertThat(resolve("  ", env).jdbcUrl()).as("a blank --url is no --url").isEqualTo(fromEnv.jdbcUrl());

        ConnectionSettings pg = resolve(null, Map.of("PGHOST", "db", "PGPORT", "6543", "PGDATABASE", "shop", "PGUSER", "app",
                "PGPASSWORD", "pw", "PGSSLMODE", "verify-full", "PGAPPNAME", "deployer"));
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6543/shop?sslmode=verify-full&ApplicationName=deployer");
        assertThat(pg.user()).isEqualTo("app");
        assertThat(pg.password()).isEqualTo("pw");
    }

    @Test
    void withNothingGivenLibpqsDefaultsApply() {
        ConnectionSettings s = resolve(null, Map.of());
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/" + OS_USER);
        assertThat(s.user()).isEqualTo(OS_USER);
        // the database defaults to the user, also when the user comes from PGUSER
        assertThat(resolve(null, Map.of("PGUSER", "app")).jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/app");
    }

    @Test
    void thePgVariablesFillWhatALibpqUrlLacksButNeverOverrideIt() {
        Map<String, String> env = Map.of("PGUSER", "envuser", "PGPASSWORD", "envpw", "PGPORT", "6000",
                "PGDATABASE", "envdb", "PGSSLMODE", "require");
        ConnectionSettings lacking = resolve("postgresql://db", env);
        assertThat(lacking.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6000/envdb?sslmode=require");
        assertThat(lacking.user()).isEqualTo("envuser");
        assertThat(lacking.password()).isEqualTo("envpw");

        ConnectionSettings full = resolve("postgresql://app:own@db:5432/shop?sslmode=disable", env);
        assertThat(full.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shop?sslmode=disable");
        assertThat(full.user()).isEqualTo("app");
        assertThat(full.password()).isEqualTo("own");

        ConnectionSettings jdbc = resolve("jdbc:postgresql://db/shop", env);
        assertThat(jdbc.user()).isEqualTo("envuser");
        assertThat(jdbc.password()).isEqualTo("envpw");
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://db/shop");
    }

    // ---- the password file ----

    @Test
    void thePasswordFileGivesAPasswordFoundNowhereElse() throws Exception {
        pgpass("""
                # comment: host:port:database:user:password
                other:*:*:*:not-this
                db:5432:shop:app:pa\\:ss\\\\word
                *:*:*:app:fallback
                """);
        assertThat(resolve("postgres://app@db/shop", Map.of()).password()).isEqualTo("pa:ss\\word");
        assertThat(resolve("host=db dbname=shop user=app", Map.of()).password()).isEqualTo("pa:ss\\word");
        assertThat(resolve("jdbc:postgresql://db:5432/shop?user=app", Map.of()).password()).isEqualTo("pa:ss\\word");
        assertThat(resolve(null, Map.of("PGHOST", "db", "PGDATABASE", "shop", "PGUSER", "app")).password())
                .isEqualTo("pa:ss\\word");
        // another port, database or host: the wildcard line
        assertThat(resolve("postgres://app@db:5433/shop", Map.of()).password()).isEqualTo("fallback");
        assertThat(resolve("postgres://app@elsewhere/x", Map.of()).password()).isEqualTo("fallback");
        // no line for this user
        assertThat(resolve("postgres://bob@db/shop", Map.of()).password()).isNull();
        // a password given anywhere wins over the file
        assertThat(resolve("postgres://app:inurl@db/shop", Map.of()).password()).isEqualTo("inurl");
        assertThat(resolve("postgres://app@db/shop", Map.of("PGPASSWORD", "env")).password()).isEqualTo("env");
        assertThat(warnings).isEmpty();
    }

    @Test
    void passwordFileMatchingFollowsLibpq() throws Exception {
        // the database defaults to the user name before the lookup; an escaped star is a literal star;
        // the password ends at an unescaped ':'; the first matching line wins
        pgpass("""
                localhost:5432:app:app:default-db
                h:5432:\\*:app:literal-star
                h:5432:*:app:first:ignored
                h:5432:*:app:second
                """);
        assertThat(resolve("postgres://app@localhost", Map.of()).password()).isEqualTo("default-db");
        assertThat(resolve("postgres://app@h/*", Map.of()).password()).isEqualTo("literal-star");
        assertThat(resolve("postgres://app@h/other", Map.of()).password()).isEqualTo("first");

        // several hosts: the first host a line matches, with that host's port
        pgpass("h2:6000:d:u:for-h2\n");
        assertThat(resolve("postgresql://u@h1:5432,h2:6000/d", Map.of()).password()).isEqualTo("for-h2");
        // IPv6: matched without the brackets
        pgpass("\\:\\:1:5432:d:u:six\n");
        assertThat(resolve("postgresql://u@[::1]/d", Map.of()).password()).isEqualTo("six");
    }

    @Test
    void pgPassFileAndPassfileKeywordNameOtherFiles() throws Exception {
        Path custom = home.resolve("custom");
        Files.writeString(custom, "*:*:*:app:from-pgpassfile\n");
        Files.setPosixFilePermissions(custom, PosixFilePermissions.fromString("rw-------"));
        pgpass("*:*:*:app:from-home\n");
        assertThat(resolve("postgres://app@db/shop", Map.of("PGPASSFILE", custom.toString())).password())
                .isEqualTo("from-pgpassfile");
        assertThat(resolve("host=db user=app passfile=" + custom, Map.of()).password()).isEqualTo("from-pgpassfile");
        assertThat(resolve("postgres://app@db/shop", Map.of()).password()).isEqualTo("from-home");
        assertThat(resolve("postgres://app@db/shop", Map.of("PGPASSFILE", home.resolve("missing").toString())).password())
                .isNull();
    }

    @Test
    void aPasswordFileOthersMayReadIsIgnoredWithAWarningAsLibpqDoes() throws Exception {
        Path file = pgpass("*:*:*:app:secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(resolve("postgres://app@db/shop", Map.of()).password()).isNull();
        assertThat(warnings).singleElement().asString().contains(file.toString(), "group or world access", "chmod 600")
                .doesNotContain("secret");
    }

    // ---- secrets and bad input ----

    @Test
    void displayAndToStringNeverShowThePassword() throws Exception {
        pgpass("*:*:*:*:topsecret\n");
        List<ConnectionSettings> all = List.of(
                resolve("jdbc:postgresql://h/db?user=app&password=topsecret&sslpassword=topsecret", Map.of()),
                resolve("jdbc:postgresql://app:topsecret@h/db", Map.of()),
                resolve("postgresql://app:topsecret@h/db", Map.of()),
                resolve("postgresql://app@h/db?password=topsecret&sslpassword=topsecret", Map.of()),
                resolve("host=h user=app password=topsecret", Map.of()),
                resolve(null, Map.of("PGPASSWORD", "topsecret")),
                resolve(null, Map.of()));
        for (ConnectionSettings s : all) {
            assertThat(s.password()).isEqualTo("topsecret");
            assertThat(s.display()).doesNotContain("topsecret").doesNotContain("password=").contains("user=");
            assertThat(s.toString()).isEqualTo(s.display());
            // the password goes as a property (sslpassword, the client key's, stays in the URL for the driver)
            assertThat(driverView(s).getProperty("password")).isNull();
        }
    }

    @Test
    void badInputNamesItsSourceAndWhatToWriteAndNeverThePassword() throws Exception {
        record Case(String url, Map<String, String> env, String... expected) {}
        List<Case> cases = List.of(
                new Case("mysql://root:topsecret@h/db", Map.of(), "--url", "mysql://root@h/db", "not a PostgreSQL URL",
                        "postgresql://user@host:5432/db"),
                new Case(null, Map.of("DATABASE_URL", "mysql://root:topsecret@h/db"), "DATABASE_URL", "not a PostgreSQL URL"),
                new Case("root:topsecret@h/db", Map.of(), "--url", "not a PostgreSQL URL"),
                new Case("postgresql://u:topsecret@h:abc/db", Map.of(), "--url", "port", "5432"),
                new Case("postgresql://u:topsecret@h:99999/db", Map.of(), "--url", "port"),
                // an unencoded '/' in the password makes libpq-style parsing see host "u", port "top": say so, not quote it
                new Case("postgresql://u:top/secret@h/db", Map.of(), "--url", "port", "percent-encode"),
                new Case("jdbc:postgresql://h:0/db?password=topsecret", Map.of(), "--url", "port", "jdbc:postgresql://host:5432/db"),
                new Case("jdbc:postgresql://u:topsecret@h:x/db", Map.of(), "--url", "port"),
                new Case(null, Map.of("PGPORT", "abc", "PGPASSWORD", "topsecret"), "PGPORT 'abc'", "PGPORT=5432"),
                new Case(null, Map.of("PGPORT", "70000"), "PGPORT '70000'"),
                new Case("postgresql://u:topsecret@h/db", Map.of("PGPORT", "x"), "PGPORT 'x'"),
                new Case("postgresql://u:top%ZZsecret@h/db", Map.of(), "--url", "password", "%25"),
                new Case("postgresql://u@h/db?password=top&secret", Map.of(), "--url", "query parameter 2", "%26"),
                new Case("host=db password='topsecret", Map.of(), "--url", "no closing quote", "host=db port=5432"),
                new Case("host=db password=top secret", Map.of(), "--url", "setting 3 has no '='"),
                new Case("host=db =topsecret", Map.of(), "--url", "no name"),
                new Case(null, Map.of("PGHOST", "/var/run/postgresql"), "PGHOST", "Unix-domain socket", "localhost"),
                new Case("postgresql://u:topsecret@%2Fvar%2Frun/db", Map.of(), "--url", "Unix-domain socket"),
                new Case("postgresql://u:topsecret@[::1/db", Map.of(), "--url", "']'"),
                new Case(null, Map.of("PGHOST", "a,b,c", "PGPORT", "1,2"), "3 hosts (from PGHOST) but 2 ports (from PGPORT)"),
                new Case("service=prod password=topsecret", Map.of(), "--url", "service", "host, port and dbname"));
        for (Case c : cases) {
            TandemException e = catchThrowableOfType(TandemException.class, () -> resolve(c.url(), c.env()));
            assertThat(e).as("%s %s", c.url(), c.env()).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).as(e.getMessage()).contains(c.expected()).doesNotContain("topsecret")
                    .doesNotContain("secret");
        }
    }

    @Test
    void quotedUrlsInMessagesLoseEverythingThatMayBeAPassword() {
        assertThat(ConnectionSettings.quoted("postgresql://u:pw@h/db")).isEqualTo("postgresql://u@h/db");
        assertThat(ConnectionSettings.quoted("postgresql://u:p/w@h/db")).isEqualTo("postgresql://u@h/db");
        assertThat(ConnectionSettings.quoted("jdbc:postgresql://h/db?password=pw")).isEqualTo("jdbc:postgresql://h/db?…");
        assertThat(ConnectionSettings.quoted("u:pw@h/db")).isEqualTo("u@h/db");
        assertThat(ConnectionSettings.quoted("postgresql://h:5432/db")).isEqualTo("postgresql://h:5432/db");
    }

    // ---- a real connection ----

    @Test
    void aDatabaseUrlInLibpqFormConnects() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres?application_name=conn%20test");
        ConnectionSettings s = resolve(null, env);
        try (Connection c = s.factory().connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_user, current_database(),"
                        + " current_setting('application_name')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres");
            assertThat(rs.getString(2)).isEqualTo("postgres");
            assertThat(rs.getString(3)).isEqualTo("conn test"); // the URL's name wins over Tandem's default
        }
        try (Connection c = resolve("host=127.0.0.1 dbname=postgres user=postgres", Map.of()).connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(ConnectionSettings.APPLICATION_NAME);
        }
    }

    @Test
    void resolvingWithoutAnEnvironmentUsesTheProcesses() {
        // only that it runs: the real environment is whatever the build has
        assertThatThrownBy(() -> ConnectionSettings.resolve("mysql://h/db")).isInstanceOf(TandemException.class);
    }
}
