package dev.tandem.throttle;

import java.util.Objects;

/**
 * What a {@link Signal} read: its value against its limit, in the signal's own unit (seconds,
 * bytes, 1 for "running" against 0), and what a person needs to know about it.
 *
 * <p>A signal with several limits (time and bytes of replication lag) reports the one nearest to
 * (or furthest past) its limit, so that "over" and the hysteresis both follow the worst of them.
 *
 * @param over   past the limit: a reason to pause
 * @param detail what was read, for log lines and {@code migrate backfill status}
 */
public record Reading(double value, double limit, boolean over, String detail) {
    public Reading {
        Objects.requireNonNull(detail, "detail");
        if (Double.isNaN(value) || Double.isNaN(limit) || limit < 0) {
            throw new IllegalArgumentException("a reading needs a value and a limit >= 0: " + value + " / " + limit);
        }
    }

    /** A reading that is over exactly when {@code value > limit}. */
    public static Reading of(double value, double limit, String detail) {
        return new Reading(value, limit, value > limit, detail);
    }

    /** Low enough to release a pause that this signal holds: not over, and at most {@code fraction} of the limit. */
    public boolean clear(double fraction) {
        return !over && value <= fraction * limit;
    }
}
