package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.Set;
import org.flywaydb.core.api.MigrationVersion;

/**
 * What Flyway's schema history table says was applied.
 *
 * <p>Read from {@code flyway_schema_history} (or the configured table) in rank order, the way
 * Flyway replays it: a successful {@code SQL}/{@code JDBC}/… row applies its version; a
 * {@code BASELINE} row applies its version and covers every lower one; a {@code DELETE} row
 * (left by {@code flyway repair} for a migration that disappeared) and a successful {@code UNDO_*}
 * row un-apply it; a row with {@code success = false} (only non-transactional migrations leave
 * one on PostgreSQL) marks the version failed, which Flyway refuses to migrate past until
 * {@code flyway repair}. Repeatable migrations (no version) are not tracked: a changed repeatable's
 * checksum is not compared, so the CLI plans repeatables as Flyway would on a fresh database.
 *
 * @param table           the history table that was read, or {@code null} when it does not exist
 *                        (then nothing is applied: every migration is pending)
 * @param appliedVersions versions as Flyway stored them ({@code "1"}, {@code "4.113"},
 *                        {@code "5.5.0.1"}); compare through {@link #isApplied(String)}, which
 *                        uses Flyway's own version ordering ({@code "1.0"} equals {@code "1"},
 *                        {@code "4_113"} equals {@code "4.113"})
 * @param baselineVersion the version of a successful BASELINE row, or {@code null}
 * @param failedVersions  versions whose last row has {@code success = false}
 */
public record FlywayHistory(
        QualifiedName table, Set<String> appliedVersions, String baselineVersion, Set<String> failedVersions) {
    public FlywayHistory {
        appliedVersions = Set.copyOf(appliedVersions);
        failedVersions = Set.copyOf(failedVersions);
    }

    /** No history table: a database Flyway never migrated. */
    public static FlywayHistory absent() {
        return new FlywayHistory(null, Set.of(), null, Set.of());
    }

    public boolean present() {
        return table != null;
    }

    /**
     * Whether the versioned migration {@code version} needs no planning: it was applied, or it
     * is at or below the baseline (Flyway ignores such migrations).
     */
    public boolean isApplied(String version) {
        if (version == null) return false;
        MigrationVersion v = MigrationVersion.fromVersion(version);
        if (baselineVersion != null && v.compareTo(MigrationVersion.fromVersion(baselineVersion)) <= 0) {
            return true;
        }
        for (String applied : appliedVersions) {
            if (MigrationVersion.fromVersion(applied).equals(v)) return true;
        }
        return false;
    }
}
