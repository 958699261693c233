package dev.tandem.exec;

import java.time.Duration;

/**
 * The adaptive batch size of a backfill: aims each batch at the target duration from the rate the
 * last batch achieved, growing by at most a quarter per batch and shrinking at once. Growing
 * slowly keeps one fast batch (a cached stretch of the table, a quiet moment) from sending the
 * next one into a slow stretch at many times the size; shrinking at once takes the load off as
 * soon as the database slows down. pt-online-schema-change smooths the rate instead (exponential
 * average, α 0.25), which also reacts late to a slowdown; GitLab grows by at most 20% per job.
 *
 * <p>Not thread-safe: one per running backfill.
 */
final class BatchSizer {
    /** Largest growth from one batch to the next. */
    static final double GROWTH = 1.25;

    private long targetNanos;
    private int min;
    private int max;
    private int size;
    /** The size never goes below this: the minimum, or 1 after a split until the size is back at the minimum. */
    private int floor;

    BatchSizer(int initial, int min, int max, Duration target) {
        this.targetNanos = target.toNanos();
        limits(min, max);
        this.size = clamp(initial);
    }

    int size() {
        return size;
    }

    /** New bounds (an operator's {@code backfill set}); the current size is clamped into them. */
    void limits(int newMin, int newMax) {
        if (newMin < 1 || newMax < newMin) throw new IllegalArgumentException("bad batch range " + newMin + ".." + newMax);
        this.min = newMin;
        this.max = newMax;
        this.floor = newMin;
        this.size = clamp(size == 0 ? newMin : size);
    }

    /** Exactly {@code rows} from now on (an operator's {@code batch-size=N}). */
    void fix(int rows) {
        limits(rows, rows);
        size = rows;
    }

    void target(Duration target) {
        targetNanos = target.toNanos();
    }

    /** A batch of {@code rows} rows took {@code elapsedNanos}; returns the next size. */
    int record(long rows, long elapsedNanos) {
        if (rows <= 0 || elapsedNanos <= 0) return size;
        double ideal = rows * (double) targetNanos / elapsedNanos;
        double next = ideal < size ? ideal : Math.min(ideal, size * GROWTH);
        size = clamp((long) Math.floor(next));
        if (size >= min) floor = min;
        return size;
    }

    /**
     * The batch hit its statement timeout: halve, below the minimum if need be (a timeout says the
     * rows are expensive, whatever the minimum says), and grow back from there slowly;
     * {@code false} when a single row timed out, which no split can help.
     */
    boolean split() {
        if (size <= 1) return false;
        size = Math.max(1, size / 2);
        // stay down there: jumping back to the minimum would time out again, batch after batch;
        // the size climbs back by at most a quarter per batch that fits
        floor = 1;
        return true;
    }

    private int clamp(long n) {
        return (int) Math.max(floor, Math.min(max, Math.max(n, 1)));
    }
}
