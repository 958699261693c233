package dev.tandem.state;

import java.time.Instant;
import java.util.List;

/**
 * How far a backfill step got, committed in the same transaction as its last batch.
 *
 * @param lastKey the key of the last row of the last committed batch, each column as text;
 *                {@code null} before the first batch
 * @param maxKey  the highest key when the backfill started, the bound of the walk; {@code null}
 *                when the table was empty
 * @param rowsDone rows changed by the committed batches
 * @param batches  committed batches
 */
public record Checkpoint(long stepId, List<String> lastKey, List<String> maxKey, long rowsDone, long batches, Instant updated) {
    public Checkpoint {
        lastKey = lastKey == null ? null : List.copyOf(lastKey);
        maxKey = maxKey == null ? null : List.copyOf(maxKey);
    }
}
