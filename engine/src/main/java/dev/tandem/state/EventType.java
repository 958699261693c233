package dev.tandem.state;

import java.util.Locale;

/** What an {@link EventRecord} reports; stored as its {@link #id()}. */
public enum EventType {
    RUN_STARTED,
    RUN_FINISHED,
    /** The run waited for another run's lock before it started (detail: waitedMs, holderPid). */
    LOCK_WAITED,
    STEP_STARTED,
    /** A step's cleanup found leftovers of an earlier attempt and removed them. */
    CLEANUP_RAN,
    STEP_SKIPPED,
    STEP_DONE,
    /** An attempt failed with a retryable error (detail: attempt, sqlState, error, delayMs). */
    STEP_RETRIED,
    STEP_FAILED,
    ROLLBACK_STARTED,
    STEP_ROLLED_BACK,
    /** A rollback stopped at an irreversible step (detail: reason). */
    ROLLBACK_STOPPED,
    /** Every step done: the migration runner's history now lists the release's migrations (detail: migrations). */
    HISTORY_RECORDED,
    /**
     * A backfill stopped running batches: a health signal is over its limit, or an operator paused
     * it (detail: reason, signals). Recorded again when the reason changes while it waits.
     */
    BACKFILL_THROTTLED,
    /** A throttled or paused backfill runs batches again (detail: waitedMs). */
    BACKFILL_RESUMED,
    /** A batch hit its statement timeout and was rolled back; the next one is half as big (detail: rows, nextRows, error). */
    BACKFILL_BATCH_SPLIT,
    /** The running backfill took an operator's new settings (detail: settings). */
    BACKFILL_SETTINGS_CHANGED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventType fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
