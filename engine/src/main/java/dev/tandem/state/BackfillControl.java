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
 * @param version  counts the changes; the running backfill acknowledges each ({@link Ack})
 */
public record BackfillControl(Long release, boolean paused, Map<String, String> settings, String by, Instant changed,
        long version) {
    public static final BackfillControl NONE = new BackfillControl(null, false, Map.of(), null, null, 0);

    public BackfillControl {
        settings = Map.copyOf(settings);
    }

    public BackfillControl(Long release, boolean paused, Map<String, String> settings, String by, Instant changed) {
        this(release, paused, settings, by, changed, 0);
    }

    /**
     * The running backfill's answer to a change: which version it read, the settings it runs with
     * since, and why it refused the change's settings ({@code null} when it took them). The
     * operator's command waits for it, so that it can say "taken" or "refused, because …".
     */
    public record Ack(long version, Map<String, String> applied, String refused) {
        public Ack {
            applied = Map.copyOf(applied);
        }
    }

    /** What the backfills of {@code releaseId} obey: this, or nothing when it was written for another release. */
    public BackfillControl forRelease(long releaseId) {
        return release != null && release == releaseId ? this : NONE;
    }
}
