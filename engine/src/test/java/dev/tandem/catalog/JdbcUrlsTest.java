package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

class JdbcUrlsTest {

    /** What the driver itself makes of a URL: the proof that encoding and decoding line up. */
    private static Properties driverView(String url) {
        Properties p = Driver.parseURL(url, new Properties());
        assertThat(p).as("driver accepts %s", url).isNotNull();
        return p;
    }

    @Test
    void jdbcUrlsPassThroughUnchanged() {
        String url = "jdbc:postgresql://db.internal:5433/shop?sslmode=require&user=app";
        assertThat(JdbcUrls.normalize(url)).isEqualTo(url);
        assertThat(JdbcUrls.normalize("  jdbc:postgresql:shop ")).isEqualTo("jdbc:postgresql:shop");
    }

    @Test
    void libpqUriBecomesJdbcWithCredentialsAsParameters() {
        String jdbc = JdbcUrls.normalize("postgresql://app:s3cret@db.internal:5433/shop?sslmode=require");
        assertThat(jdbc).isEqualTo("jdbc:postgresql://db.internal:5433/shop?user=app&password=s3cret&sslmode=require");
        Properties p = driverView(jdbc);
        assertThat(p.getProperty("PGHOST")).isEqualTo("db.internal");
        assertThat(p.getProperty("PGPORT")).isEqualTo("5433");
        assertThat(p.getProperty("PGDBNAME")).isEqualTo("shop");
        assertThat(p.getProperty("user")).isEqualTo("app");
        assertThat(p.getProperty("password")).isEqualTo("s3cret");
        assertThat(p.getProperty("sslmode")).isEqualTo("require");
    }

    @Test
    void percentEncodedPartsSurviveTheRoundTripThroughTheDriver() {
        // libpq decodes only %XX: a '+' in a password is a plus, not a space.
        Properties p = driverView(JdbcUrls.normalize("postgres://us%40er:p%40ss+w%3Ard%2F%25@localhost/my%20db"));
        assertThat(p.getProperty("user")).isEqualTo("us@er");
        assertThat(p.getProperty("password")).isEqualTo("p@ss+w:rd/%");
        assertThat(p.getProperty("PGDBNAME")).isEqualTo("my db");
    }

    @Test
    void hostsPortsAndDefaults() {
        assertThat(JdbcUrls.normalize("postgresql://")).isEqualTo("jdbc:postgresql://localhost/");
        assertThat(JdbcUrls.normalize("postgresql://:5433/shop")).isEqualTo("jdbc:postgresql://localhost:5433/shop");
        assertThat(JdbcUrls.normalize("postgresql://a:5432,b:5433/shop"))
                .isEqualTo("jdbc:postgresql://a:5432,b:5433/shop");
        assertThat(JdbcUrls.normalize("postgresql://[::1]:5432/shop")).isEqualTo("jdbc:postgresql://[::1]:5432/shop");
        assertThat(JdbcUrls.normalize("postgresql://[::1]/shop")).isEqualTo("jdbc:postgresql://[::1]/shop");
        assertThat(JdbcUrls.normalize("postgresql:///shop?host=db&port=6000&user=me"))
                .isEqualTo("jdbc:postgresql://db:6000/shop?user=me");
        assertThat(JdbcUrls.normalize("postgresql://h/ignored?dbname=real")).isEqualTo("jdbc:postgresql://h/real");
    }

    @Test
    void libpqParameterNamesAreMappedToTheDrivers() {
        String jdbc = JdbcUrls.normalize("postgresql://h/db?application_name=ci%20plan&connect_timeout=3"
                + "&target_session_attrs=read-write&sslrootcert=/etc/ca.pem");
        Properties p = driverView(jdbc);
        assertThat(p.getProperty("ApplicationName")).isEqualTo("ci plan");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("3");
        assertThat(p.getProperty("targetServerType")).isEqualTo("primary");
        assertThat(p.getProperty("sslrootcert")).isEqualTo("/etc/ca.pem");
    }

    @Test
    void jdbcUrlWithLibpqUserInfoIsConverted() {
        assertThat(JdbcUrls.normalize("jdbc:postgresql://app:pw@h:5432/db"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=app&password=pw");
    }

    @Test
    void unixSocketsAndOtherDatabasesAreRejectedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> JdbcUrls.normalize("postgresql://u:topsecret@%2Fvar%2Frun%2Fpostgresql/db"))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("Unix-domain socket").doesNotContain("topsecret");
                });
        assertThatThrownBy(() -> JdbcUrls.normalize("mysql://root:topsecret@h/db"))
                .isInstanceOfSatisfying(TandemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("mysql://root@h/db", "not a PostgreSQL URL")
                            .doesNotContain("topsecret");
                });
        assertThatThrownBy(() -> JdbcUrls.normalize(" ")).isInstanceOf(TandemException.class);
    }

    @Test
    void redactDropsPasswordsInBothForms() {
        assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?user=app&password=s3cret&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h/db?user=app&sslmode=require");
        assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?password=s3cret")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?sslpassword=k&PASSWORD=x&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?ssl=true");
        assertThat(JdbcUrls.redact("postgresql://app:s3cret@h:5432/db")).isEqualTo("postgresql://app@h:5432/db");
        assertThat(JdbcUrls.redact("postgresql://app@h/db")).isEqualTo("postgresql://app@h/db");
        // an unencoded '/' in the password must not end the user info early and leak the rest
        assertThat(JdbcUrls.redact("postgresql://app:pa/ss@h/db")).isEqualTo("postgresql://app@h/db");
        assertThat(JdbcUrls.redact("jdbc:postgresql:db")).isEqualTo("jdbc:postgresql:db");
    }

    @Test
    void parameterReadsOneDecodedValue() {
        String jdbc = JdbcUrls.normalize("postgresql://app:p%40ss+1@h/db");
        assertThat(JdbcUrls.parameter(jdbc, "password")).isEqualTo("p@ss+1");
        assertThat(JdbcUrls.parameter(jdbc, "sslmode")).isNull();
        assertThat(JdbcUrls.parameter("jdbc:postgresql://h/db", "password")).isNull();
    }

    @Test
    void withoutParametersKeepsTheOthers() {
        assertThat(JdbcUrls.withoutParameters("jdbc:postgresql://h/db?user=a&ssl=true&password=b", "user", "password"))
                .isEqualTo("jdbc:postgresql://h/db?ssl=true");
        assertThat(JdbcUrls.withoutParameters("jdbc:postgresql://h/db?user=a", "user")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(JdbcUrls.withoutParameters("jdbc:postgresql://h/db", "user")).isEqualTo("jdbc:postgresql://h/db");
    }
}
