package dev.tandem.catalog;

import dev.tandem.classify.PgVersion;
import java.util.Map;
import java.util.Set;

/**
 * What {@link LiveCatalogReader} read from a database in one consistent snapshot.
 *
 * @param schema           every table, partitioned table, view, materialized view and foreign
 *                         table outside the system schemas and Tandem's own {@code tandem} schema,
 *                         with sizes; {@link SchemaModel#isLive()} is true
 * @param serverVersionNum {@code server_version_num}, e.g. {@code 150020}
 * @param serverVersion    {@code server_version} as the server prints it, e.g.
 *                         {@code 15.20 (Debian 15.20-0+deb12u1)}
 * @param flyway           Flyway's history, {@link FlywayHistory#absent()} when there is none
 * @param liquibase        Liquibase's history, {@link LiquibaseHistory#absent()} when there is none
 * @param sessionTimeZone  the reading session's TimeZone ({@code current_setting('TimeZone')}: the
 *                         JDBC driver sends the JVM's zone when it connects, and that wins over
 *                         options=-c TimeZone=… and role settings), which is
 *                         what every session Tandem opens with the same URL gets
 */
public record LiveCatalog(
        SchemaModel schema, int serverVersionNum, String serverVersion, FlywayHistory flyway, LiquibaseHistory liquibase,
        String sessionTimeZone) {

    /** The server's major version, e.g. 15 ({@code server_version_num / 10000}, PostgreSQL 10+). */
    public int serverMajor() {
        return serverVersionNum / 10000;
    }

    /**
     * The server's version for the classifier.
     *
     * @throws dev.tandem.error.TandemException INVALID_ARGUMENT when Tandem does not support the
     *                                          server's major version (the message suggests
     *                                          {@code --pg-version})
     */
    public PgVersion pgVersion() {
        return new PgVersion(serverMajor());
    }

    /** Settings of a session with the same URL, for the classifier ({@code timezone}). */
    public Map<String, String> session() {
        return sessionTimeZone == null ? Map.of() : Map.of("timezone", sessionTimeZone);
    }

    /** Shorthand for {@code flyway().appliedVersions()}. */
    public Set<String> appliedFlywayVersions() {
        return flyway.appliedVersions();
    }

    /** Shorthand for {@code liquibase().appliedChangeSets()}; keys as {@link LiquibaseHistory} documents. */
    public Set<String> appliedLiquibaseChangeSets() {
        return liquibase.appliedChangeSets();
    }
}
