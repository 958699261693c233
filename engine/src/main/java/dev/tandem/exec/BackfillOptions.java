package dev.tandem.exec;

import dev.tandem.throttle.ThrottleFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * How backfill steps size their batches and when they wait.
 *
 * @param initialBatch      rows in the first batch (a resumed backfill starts at the size it had
 *                          learnt, kept in its checkpoint)
 * @param minBatch          the adaptive size never goes below this (a batch that times out is split
 *                          below it, down to one row)
 * @param maxBatch          nor above this
 * @param targetBatchTime   the duration each batch aims at: long enough that per-batch overhead is
 *                          small, short enough that its row locks and its WAL burst go unnoticed
 * @param batchTimeout      {@code statement_timeout} of each batch; a batch that hits it is rolled
 *                          back and split in half
 * @param niceRatio         after each batch, rest this many times its duration (gh-ost's
 *                          nice-ratio): 0.5 leaves the database a third of the time to itself
 * @param throttle          opens the health checks asked before every batch
 */
public record BackfillOptions(int initialBatch, int minBatch, int maxBatch, Duration targetBatchTime, Duration batchTimeout,
        double niceRatio, ThrottleFactory throttle) {

    /*
     * Why a 20 ms target and not the 200 ms that issue 5 first proposed: an application statement
     * that touches a row of the running batch waits for the batch's commit, so the target is the
     * application's worst wait, and the share of its statements that wait grows with the batch's
     * rows. Measured with bench/backfill-benchmark.sh (2,000,000 rows, 200 tps, 2 cores, PG 15,
     * 2026-12-04): 200 ms gave 261,000 rows/s with the workload's p99 at 14.6 ms and max 153 ms
     * (1.7 ms / 4.7 ms alone); 20 ms gave 243,000 rows/s with p99 4.3 ms and max 20 ms. The
     * batch's fixed costs (finding its end key, the checkpoint, the commit) are small enough that
     * 20 ms batches keep over 90% of the throughput.
     */
    public static final BackfillOptions DEFAULTS = new BackfillOptions(1_000, 100, 100_000, Duration.ofMillis(20),
            Duration.ofSeconds(10), 0, ThrottleFactory.NONE);

    public BackfillOptions {
        if (minBatch < 1) throw new IllegalArgumentException("the smallest batch must be at least 1 row, not " + minBatch);
        if (maxBatch < minBatch) {
            throw new IllegalArgumentException("the largest batch (" + maxBatch + ") is smaller than the smallest (" + minBatch + ")");
        }
        if (initialBatch < minBatch || initialBatch > maxBatch) {
            throw new IllegalArgumentException("the first batch (" + initialBatch + " rows) must lie between the smallest ("
                    + minBatch + ") and the largest (" + maxBatch + ")");
        }
        positive(targetBatchTime, "the target batch time");
        positive(batchTimeout, "the batch timeout");
        if (batchTimeout.compareTo(targetBatchTime) <= 0) {
            throw new IllegalArgumentException("the batch timeout (" + batchTimeout.toMillis()
                    + " ms) must be longer than the target batch time (" + targetBatchTime.toMillis() + " ms)");
        }
        if (!(niceRatio >= 0 && niceRatio <= 100)) {
            throw new IllegalArgumentException("the nice ratio must lie between 0 and 100 (times each batch's duration), not "
                    + niceRatio);
        }
        Objects.requireNonNull(throttle, "throttle");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.toMillis() < 1) throw new IllegalArgumentException(name + " must be at least 1ms, not " + DurationText.format(d));
    }

    /** Batches of exactly {@code rows} (split only when one times out). */
    public BackfillOptions fixed(int rows) {
        if (rows < 1) throw new IllegalArgumentException("the batch size must be at least 1, not " + rows);
        return new BackfillOptions(rows, rows, rows, targetBatchTime, batchTimeout, niceRatio, throttle);
    }

    public boolean adaptive() {
        return minBatch < maxBatch;
    }

    public BackfillOptions withBatchRange(int initial, int min, int max) {
        return new BackfillOptions(initial, min, max, targetBatchTime, batchTimeout, niceRatio, throttle);
    }

    public BackfillOptions withTargetBatchTime(Duration d) {
        return new BackfillOptions(initialBatch, minBatch, maxBatch, d, batchTimeout, niceRatio, throttle);
    }

    public BackfillOptions withBatchTimeout(Duration d) {
        return new BackfillOptions(initialBatch, minBatch, maxBatch, targetBatchTime, d, niceRatio, throttle);
    }

    public BackfillOptions withNiceRatio(double ratio) {
        return new BackfillOptions(initialBatch, minBatch, maxBatch, targetBatchTime, batchTimeout, ratio, throttle);
    }

    public BackfillOptions withThrottle(ThrottleFactory t) {
        return new BackfillOptions(initialBatch, minBatch, maxBatch, targetBatchTime, batchTimeout, niceRatio, t);
    }
}
