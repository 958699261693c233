package dev.tandem.throttle;

import java.time.Instant;

/**
 * Asked by a backfill before every batch whether the database can take another one. The backfill
 * runs no batch while the answer is {@link Verdict.Pause}, asking again every
 * {@link #pollInterval()}; so a paused backfill holds no lock and no transaction.
 *
 * <p>Implementations read their signals on their own schedules and answer from the latest
 * readings, so {@link #check} is cheap enough to call between batches of a few milliseconds. They
 * fail closed: a signal that cannot be read is a reason to pause, never to go on. A signal that
 * only shows while a batch runs (sessions blocked behind the backfill's row locks) must be sampled
 * in the background: between batches the backfill holds no lock, so a read from {@code check}
 * would never see anyone waiting.
 */
public interface Throttle extends AutoCloseable {
    /** Never pauses: for tests and for {@code --no-throttle}. */
    Throttle NONE = new Throttle() {
        @Override
        public Verdict check(Instant now) {
            return Verdict.GO;
        }

        @Override
        public void close() {}
    };

    /** The verdict at {@code now}; never throws (a failure is a {@link Verdict.Pause}). */
    Verdict check(Instant now);

    /** How long a paused backfill waits before it asks again. */
    default java.time.Duration pollInterval() {
        return java.time.Duration.ofMillis(250);
    }

    /** Releases the throttle's own connections; never throws. */
    @Override
    void close();
}
