package dev.tandem.state;

import java.time.Instant;
import java.util.List;

/**
 * A release as recorded in {@code tandem.releases}: one plan (its fingerprint) applied phase by
 * phase, possibly over several runs.
 *
 * @param migrations the migrations with steps in the plan, in plan order
 * @param started    when the first run started; {@code finished} when it became done or rolled back
 */
public record ReleaseRecord(
        long id,
        String fingerprint,
        List<String> migrations,
        ReleaseStatus status,
        Instant created,
        Instant started,
        Instant finished) {
    public ReleaseRecord {
        migrations = List.copyOf(migrations);
    }
}
