package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.error.TandemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where apply/status/rollback connect: --url, DATABASE_URL, the PG* variables and ~/.pgpass, as psql would. */
class ConnectionSettingsTest {
    @TempDir
    Path home;

    @Test
    void theUrlOptionWinsOverDatabaseUrlWhichWinsOverPgVariables() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgres://env@envhost/envdb", "PGHOST", "pghost");
        assertThat(ConnectionSettings.resolve("jdbc:postgresql://opt:6000/optdb", env, home).jdbcUrl())
                .isEqualTo("jdbc:postgresql://opt:6000/optdb");
        assertThat(ConnectionSettings.resolve(null, env, home).jdbcUrl()).startsWith("jdbc:postgresql://envhost").contains("envdb");
        ConnectionSettings pg = ConnectionSettings.resolve(null, Map.of("PGHOST", "h1,h2", "PGPORT", "5433,5434",
                "PGDATABASE", "shop", "PGUSER", "app", "PGSSLMODE", "require"), home);
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5433,h2:5434/shop?user=app&sslmode=require");
    }

    @Test
    void aLibpqKeywordStringWithQuotesIsUnderstoodAndItsPasswordNeverShown() {
        ConnectionSettings s = ConnectionSettings.resolve(
                "host=db port=5432 dbname=shop user=app password='se cret\\'s' sslmode=require", Map.of(), home);
        assertThat(s.jdbcUrl()).startsWith("jdbc:postgresql://db:5432/shop?user=app&sslmode=require&password=");
        assertThat(s.display()).doesNotContain("cret").doesNotContain("password");
        assertThat(s.toString()).isEqualTo(s.display());
    }

    @Test
    void passwordsComeFromPgPasswordOrThePassFileWhenTheUrlHasNone() throws Exception {
        ConnectionSettings fromEnv = ConnectionSettings.resolve("postgres://app@db/shop", Map.of("PGPASSWORD", "pw1"), home);
        assertThat(fromEnv.password()).isEqualTo("pw1");
        Files.writeString(home.resolve(".pgpass"), "# comment\nother:*:*:*:no\ndb:5432:shop:app:pa\\:ss\n");
        assertThat(ConnectionSettings.resolve("postgres://app@db/shop", Map.of(), home).password()).isEqualTo("pa:ss");
        Path custom = home.resolve("custom");
        Files.writeString(custom, "*:*:*:app:star\n");
        assertThat(ConnectionSettings.resolve("postgres://app@db/shop", Map.of("PGPASSFILE", custom.toString()), home).password())
                .isEqualTo("star");
        // a password in the URL is the URL's, not the file's
        assertThat(ConnectionSettings.resolve("postgres://app:inurl@db/shop", Map.of(), home).password()).isNull();
    }

    @Test
    void badValuesNameWhereTheyCameFromAndNeverThePassword() {
        assertThatThrownBy(() -> ConnectionSettings.resolve("mysql://u:topsecret@h/db", Map.of(), home))
                .isInstanceOf(TandemException.class).hasMessageContaining("--url").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> ConnectionSettings.resolve(null, Map.of("PGPORT", "abc"), home))
                .isInstanceOf(TandemException.class).hasMessageContaining("port 'abc'").hasMessageContaining("PG*");
        assertThatThrownBy(() -> ConnectionSettings.resolve("host=db password='topsecret", Map.of(), home))
                .isInstanceOf(TandemException.class).hasMessageContaining("no closing quote").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> ConnectionSettings.resolve(null, Map.of("PGHOST", "/var/run/postgresql"), home))
                .isInstanceOf(TandemException.class).hasMessageContaining("Unix-domain socket");
    }

    @Test
    void aDatabaseUrlInLibpqFormConnects() throws Exception {
        ConnectionSettings s = ConnectionSettings.resolve(null, Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"), home);
        try (Connection c = s.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("postgres");
        }
    }
}
