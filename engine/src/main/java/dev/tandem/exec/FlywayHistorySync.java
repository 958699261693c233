package dev.tandem.exec;

import dev.tandem.state.ReleaseSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Flyway's history brought up to date by Flyway itself: {@code migrate} with
 * {@code skipExecutingMigrations} (which writes the history rows, checksums included, without
 * running a statement) and {@code target} = the newest version of the release, so that
 * {@code flyway info} and {@code flyway validate} with the same locations show the release's
 * migrations as applied, and {@code flyway migrate} runs none of them again. Harmless to repeat:
 * a second call finds nothing pending up to the target.
 *
 * <p>A database without a history table gets one with a baseline at version 0: Flyway refuses a
 * non-empty schema without a baseline, and then every migration is pending, so in this release.
 */
public final class FlywayHistorySync implements ReleaseHistory {
    private final Path locations;
    private final Map<String, String> placeholders;
    private final String url;
    private final String user;
    private final String password;

    public FlywayHistorySync(Path locations, Map<String, String> placeholders, String url, String user, String password) {
        this.locations = Objects.requireNonNull(locations, "locations");
        this.placeholders = Map.copyOf(placeholders);
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
    }

    @Override
    public void record(List<ReleaseSource> sources) {
        MigrationVersion target = sources.stream().filter(s -> s.version() != null).map(s -> MigrationVersion.fromVersion(s.version()))
                .max(MigrationVersion::compareTo).orElse(null);
        if (target == null) return; // repeatable migrations only: Flyway re-runs them when they change anyway
        try {
            Flyway flyway = Flyway.configure(getClass().getClassLoader())
                    .locations("filesystem:" + locations.toAbsolutePath())
                    .placeholders(placeholders)
                    .dataSource(url, user, password)
                    .skipExecutingMigrations(true)
                    .target(target)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .baselineDescription("<< Tandem: history started by migrate apply >>")
                    .load();
            flyway.migrate();
            for (ReleaseSource s : sources) {
                if (s.version() == null) continue;
                MigrationInfo info = find(flyway, s.version());
                if (info == null || info.getState() != MigrationState.SUCCESS) {
                    throw new IllegalStateException("Flyway does not list migration " + s.label() + " as applied after the sync"
                            + (info == null ? "" : " (state " + info.getState().getDisplayName() + ")"));
                }
            }
        } catch (FlywayException e) {
            throw new IllegalStateException("Flyway: " + e.getMessage(), e);
        }
    }

    private static MigrationInfo find(Flyway flyway, String version) {
        MigrationVersion v = MigrationVersion.fromVersion(version);
        for (MigrationInfo i : flyway.info().all()) {
            if (v.equals(i.getVersion())) return i;
        }
        return null;
    }
}
