package dev.tandem.state;

import java.time.Instant;
import java.util.Map;

/**
 * What an operator asked of the running backfill from another terminal or pod
 * ({@code migrate backfill pause|resume|set}): one row in {@code tandem.backfill_control}, read by
 * the backfill between batches, so that it needs no connection to the runner's process.
 *
 * @param release  the release it applies to: a row left from an earlier release is not obeyed
 * @param paused   no batch runs until resumed
 * @param settings overrides, {@code name → value} as the operator wrote them (validated when set)
 * @param by       who changed it last ({@code user@host} of the session)
 */
public record BackfillControl(Long release, boolean paused, Map<String, String> settings, String by, Instant changed) {
    public static final BackfillControl NONE = new BackfillControl(null, false, Map.of(), null, null);

    public BackfillControl {
        settings = Map.copyOf(settings);
    }

    /** What the backfills of {@code releaseId} obey: this, or nothing when it was written for another release. */
    public BackfillControl forRelease(long releaseId) {
        return release != null && release == releaseId ? this : NONE;
    }
}
