package dev.tandem.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.api.configuration.ClassicConfiguration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlScriptFactory;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionBlockTest {

    /** Statements and whether PostgreSQL 15 refuses them in a transaction block (checked with psql). */
    static Stream<Object[]> postgres() {
        return Stream.of(
                new Object[] {"CREATE INDEX CONCURRENTLY i ON t (a)", true},
                new Object[] {"create unique index concurrently if not exists i on t (a)", true},
                new Object[] {"DROP INDEX CONCURRENTLY IF EXISTS i", true},
                new Object[] {"CREATE INDEX i ON t (a)", false},
                new Object[] {"REINDEX TABLE CONCURRENTLY t", true},
                new Object[] {"REINDEX (CONCURRENTLY) TABLE t", true},
                new Object[] {"REINDEX (CONCURRENTLY false) TABLE t", false},
                new Object[] {"REINDEX TABLE t", false},
                new Object[] {"REINDEX (VERBOSE) SCHEMA public", true},
                new Object[] {"ALTER TABLE t DETACH PARTITION p CONCURRENTLY", true},
                new Object[] {"ALTER TABLE t DETACH PARTITION p", false},
                new Object[] {"VACUUM (ANALYZE) t", true},
                new Object[] {"CLUSTER", true},
                new Object[] {"CLUSTER t USING t_pkey", false},
                new Object[] {"CREATE DATABASE app", true},
                new Object[] {"DROP DATABASE IF EXISTS app", true},
                new Object[] {"CREATE TABLESPACE ts LOCATION '/tmp'", true},
                new Object[] {"ALTER DATABASE app SET TABLESPACE ts", true},
                new Object[] {"ALTER DATABASE app SET work_mem = '4MB'", false},
                new Object[] {"ALTER SYSTEM SET work_mem = '4MB'", true},
                new Object[] {"DISCARD ALL", true},
                new Object[] {"ALTER TYPE mood ADD VALUE 'meh'", false},
                new Object[] {"CREATE TABLE \"vacuum\" (id int)", false},
                new Object[] {"UPDATE t SET a = 'CREATE INDEX CONCURRENTLY'", false},
                new Object[] {"CREATE /* CONCURRENTLY */ INDEX i ON t (a)", false});
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void postgresRefusesTheseInsideATransactionBlock(String sql, boolean forbidden) {
        assertThat(TransactionBlock.forbidden(sql)).isEqualTo(forbidden);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "BEGIN | true", "begin transaction isolation level serializable | true", "START TRANSACTION | true",
            "COMMIT | true", "END | true", "ROLLBACK | true", "ABORT | true",
            "ROLLBACK TO SAVEPOINT s | false", "SAVEPOINT s | false", "START_DATE_CHECK | false",
            "CREATE TABLE t (id int) | false"})
    void explicitTransactionControl(String sql, boolean control) {
        assertThat(TransactionBlock.controlsTransaction(sql)).isEqualTo(control);
    }

    static List<String> flywayCases() {
        return List.of(
                "CREATE INDEX CONCURRENTLY i ON t (a)",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)",
                "create index concurrently i on t(a)",
                "CREATE /* x */ INDEX -- y\n CONCURRENTLY i ON t (a)",
                "DROP INDEX CONCURRENTLY i",
                "DROP INDEX CONCURRENTLY IF EXISTS i",
                "CREATE INDEX i ON t (a)",
                "REINDEX TABLE CONCURRENTLY t",
                "REINDEX SCHEMA public",
                "REINDEX (VERBOSE) DATABASE app",
                "REINDEX INDEX i",
                "VACUUM ANALYZE t",
                "VACUUM (FULL) t",
                "CREATE DATABASE app",
                "DROP DATABASE app",
                "CREATE TABLESPACE ts LOCATION '/tmp'",
                "DROP TABLESPACE ts",
                "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p",
                "DROP SUBSCRIPTION s",
                "ALTER SYSTEM SET work_mem = '4MB'",
                "DISCARD ALL",
                "DISCARD PLANS",
                "ALTER TABLE t DETACH PARTITION p CONCURRENTLY",
                "ALTER TABLE t ADD COLUMN c int",
                "CLUSTER",
                "CREATE TABLE \"vacuum\" (id int)",
                "CREATE TABLE t (a int, CONSTRAINT c CHECK (a > 0))",
                "SELECT 'VACUUM'",
                "UPDATE t SET a = 'CREATE INDEX CONCURRENTLY'",
                "DO $$ BEGIN EXECUTE 'VACUUM'; END $$",
                "COMMENT ON TABLE t IS 'vacuum'");
    }

    /**
     * The copy of Flyway's rule agrees with Flyway's own PostgreSQL parser (flyway-database-postgresql
     * 13.12.0), statement by statement.
     */
    @ParameterizedTest
    @MethodSource("flywayCases")
    void flywayRuleMatchesFlywaysPostgresParser(String sql) {
        assertThat(TransactionBlock.flywayNonTransactional(sql)).isEqualTo(!flywayExecutesInTransaction(sql + ";\n"));
    }

    /** Whole fixture scripts: Flyway's decision per file equals the source's transactional flag. */
    @Test
    void flywayDirectorySourceDecidesAsFlywaysParserPerScript() throws IOException {
        Path dir = SourceFixtures.path("flyway/basic");
        for (Migration m : new FlywayDirectorySource(dir, Map.of("schema", "public")).load()) {
            Path file = dir.resolve(m.script());
            if (Files.exists(dir.resolve(m.script() + ".conf"))) continue; // decided by the .conf file
            String text = Files.readString(file).replace("${schema}", "public")
                    .replace("${flyway:defaultSchema}", "public");
            assertThat(m.transactional()).as(m.script()).isEqualTo(flywayExecutesInTransaction(text));
        }
    }

    private static boolean flywayExecutesInTransaction(String script) {
        ClassicConfiguration cfg = new ClassicConfiguration();
        SqlScriptFactory factory = new PostgreSQLDatabaseType().createSqlScriptFactory(cfg, new ParsingContext());
        return factory.createSqlScript(new StringResource(script), true, null).executeInTransaction();
    }
}
