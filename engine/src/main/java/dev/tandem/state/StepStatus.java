package dev.tandem.state;

import java.util.Locale;

/** Where a step of a recorded release stands; stored as its {@link #id()}. */
public enum StepStatus {
    /** Not run yet, or reset by a rollback of its phase (a skipped step is re-evaluated then). */
    PENDING,
    /**
     * Marked before an attempt. A run that finds a step still running was killed during it: a
     * transactional step then left nothing behind, a non-transactional one is re-run after its
     * cleanup (its SQL is harmless to repeat).
     */
    RUNNING,
    DONE,
    /** Its {@code onlyIf} guard returned no row: nothing was done and nothing needs undoing. */
    SKIPPED,
    /** The last attempt failed with an error that is not retried, or retries ran out. */
    FAILED,
    ROLLED_BACK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** Whether a run never repeats the step. */
    public boolean finished() {
        return this == DONE || this == SKIPPED;
    }
}
