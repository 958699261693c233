package dev.tandem.cli;

import dev.tandem.catalog.JdbcUrls;
import dev.tandem.catalog.LiveCatalog;
import dev.tandem.catalog.LiveCatalogReader;
import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.PgVersion;
import dev.tandem.error.ErrorCode;
import dev.tandem.error.TandemException;
import dev.tandem.source.Migration;
import dev.tandem.source.MigrationType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code migrate plan --url}: the database's schema (complete, with sizes) replaces the offline
 * model, and only the migrations its history does not list are planned; the applied ones are not
 * replayed, because the database already reflects them. The server's major version is the target
 * unless {@code --pg-version} says otherwise (planning for an upgrade).
 *
 * <p>Kept in its own class so that JDBC and the catalog reader are loaded only with {@code --url}.
 */
record LivePlanInput(String url, LiveCatalog catalog) {

    /** Connects and reads the catalog (user and password come with the URL). */
    static LivePlanInput read(String url) {
        return read(url, null, null);
    }

    /** Connects with the user and password given apart from the URL (migrate apply's connection settings). */
    static LivePlanInput read(String url, String user, String password) {
        return new LivePlanInput(url, LiveCatalogReader.read(url, user, password));
    }

    SchemaModel schema() {
        return catalog.schema();
    }

    /** The server's major version; fails (exit 2, suggesting --pg-version) when Tandem does not support it. */
    PgVersion version() {
        return catalog.pgVersion();
    }

    /** The migrations the database's history does not list, saying on {@code err} how many that is. */
    List<Migration> pending(List<Migration> all, PlanInput.Kind kind, PrintWriter err) {
        if (kind == PlanInput.Kind.FLYWAY && !catalog.flyway().failedVersions().isEmpty()) {
            throw new TandemException(ErrorCode.INVALID_FLYWAY_MIGRATION,
                    "Flyway's history in the database lists failed migrations "
                            + new TreeSet<>(catalog.flyway().failedVersions())
                            + ": Flyway will not migrate past them until they are fixed and 'flyway repair' has run");
        }
        List<Migration> pending = new ArrayList<>();
        for (Migration m : all) {
            if (!applied(m, kind)) pending.add(m);
        }
        err.println("migrate: read the schema of PostgreSQL " + catalog.serverVersion().split(" ")[0] + " at "
                + JdbcUrls.redact(JdbcUrls.normalize(url)) + ": " + (all.size() - pending.size()) + " of "
                + all.size() + " migrations already applied, " + pending.size() + " to plan");
        return pending;
    }

    private boolean applied(Migration m, PlanInput.Kind kind) {
        return switch (kind) {
            // Repeatable migrations are always planned: their checksums are not compared.
            case FLYWAY -> m.type() == MigrationType.VERSIONED && catalog.flyway().isApplied(m.version());
            case LIQUIBASE -> liquibaseApplied(m);
            case SQL_FILE -> false; // a plain file has no history: plan it against the live schema
        };
    }

    /**
     * Liquibase records a changeSet as {@code path::id::author}, with the path as Liquibase was given
     * it (often under a search path: {@code db/changelog/changes/001.xml}), while the source knows
     * the file relative to the root changelog. A changeSet counts as applied when id and author
     * match (ignoring case, as Liquibase does) and the recorded path is the script or ends with it.
     */
    private boolean liquibaseApplied(Migration m) {
        String id = m.version();
        String description = m.description();
        if (id == null || description == null || !description.endsWith(":" + id)) return false;
        String author = description.substring(0, description.length() - id.length() - 1);
        String script = m.script().replace('\\', '/');
        for (String key : catalog.appliedLiquibaseChangeSets()) {
            String suffix = "::" + id + "::" + author;
            int start = key.length() - suffix.length();
            if (start <= 0 || !key.regionMatches(true, start, suffix, 0, suffix.length())) continue;
            String path = key.substring(0, start).replace('\\', '/');
            if (path.equalsIgnoreCase(script)
                    || path.toLowerCase(Locale.ROOT).endsWith("/" + script.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
