package dev.tandem.state;

import java.util.Locale;

/** Where a recorded release stands; stored as its {@link #id()}. */
public enum ReleaseStatus {
    /** A run is applying it, or was killed while it did. */
    RUNNING,
    /** The last run finished what it was asked for; phases remain (e.g. contract, after the gate). */
    STOPPED,
    /** The last run stopped on a failed step; the next run resumes at that step. */
    FAILED,
    /** Every step of every phase is done or skipped. */
    DONE,
    /** Every step that was done has been undone: the release is abandoned. */
    ROLLED_BACK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReleaseStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** Whether a new run starts a new release instead of continuing this one. */
    public boolean finished() {
        return this == DONE || this == ROLLED_BACK;
    }
}
