package dev.tandem.state;

import java.time.Instant;
import java.util.List;

/**
 * How far a backfill step got, committed in the same transaction as its last batch.
 *
 * @param lastKey       the key of the last row of the last committed batch, each column as text;
 *                      {@code null} before the first batch
 * @param maxKey        the highest key when the backfill started, the bound of the walk; {@code null}
 *                      when the table was empty
 * @param rowsDone      rows changed by the committed batches
 * @param batches       committed batches
 * @param batchSize     the size the next batch takes (the adaptive size learnt so far, kept so that a
 *                      resumed backfill does not start over from the first size); null before v3
 * @param definition    fingerprint of what the backfill does (table, key, change, filter): a
 *                      checkpoint is only ever continued by the same backfill
 * @param rowsEstimate  the planner's estimate of the rows to change, taken at the start (for ETA)
 * @param rowsPerSecond recent rate of the batches (moving average), null before the first batch
 * @param throttledMs   time spent waiting for the throttle or an operator's pause
 * @param waitingFor    why it waits right now ({@code null} while batches run)
 * @param started       when the first batch started
 */
public record Checkpoint(long stepId, List<String> lastKey, List<String> maxKey, long rowsDone, long batches, Instant updated,
        Integer batchSize, String definition, Long rowsEstimate, Double rowsPerSecond, long throttledMs, String waitingFor,
        Instant started) {
    public Checkpoint {
        lastKey = lastKey == null ? null : List.copyOf(lastKey);
        maxKey = maxKey == null ? null : List.copyOf(maxKey);
    }

    /** A checkpoint with its position only (as state schema v2 kept it). */
    public Checkpoint(long stepId, List<String> lastKey, List<String> maxKey, long rowsDone, long batches, Instant updated) {
        this(stepId, lastKey, maxKey, rowsDone, batches, updated, null, null, null, null, 0, null, null);
    }

    /** This checkpoint after a wait of {@code ms} that has ended (what {@link StateStore#checkpointWaiting} records). */
    public Checkpoint waited(long ms) {
        return new Checkpoint(stepId, lastKey, maxKey, rowsDone, batches, updated, batchSize, definition, rowsEstimate,
                rowsPerSecond, throttledMs + ms, null, started);
    }

    /** Seconds to the end at the recent rate, when both are known. */
    public Long etaSeconds() {
        if (rowsEstimate == null || rowsPerSecond == null || rowsPerSecond <= 0) return null;
        return Math.max(0, Math.round((rowsEstimate - rowsDone) / rowsPerSecond));
    }
}
