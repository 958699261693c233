package dev.tandem.cli;

import dev.tandem.state.Checkpoint;
import java.util.Locale;

/**
 * A backfill's checkpoint as a person reads it, the same in the run's log, its progress bar and
 * {@code migrate status} / {@code migrate backfill status}:
 * {@code 412,000 of ~2,000,000 rows (21%) in 103 batches, 48,200 rows/s, ETA 33 s, batch 9,000}.
 */
final class BackfillProgress {
    private BackfillProgress() {}

    static String line(Checkpoint cp) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d", cp.rowsDone()));
        Long total = cp.rowsEstimate();
        if (total != null && total > 0) {
            b.append(String.format(Locale.ROOT, " of ~%,d rows (%d%%)", Math.max(total, cp.rowsDone()),
                    Math.min(100, Math.round(100.0 * cp.rowsDone() / Math.max(total, cp.rowsDone())))));
        } else {
            b.append(cp.rowsDone() == 1 ? " row" : " rows");
        }
        b.append(String.format(Locale.ROOT, " in %,d %s", cp.batches(), cp.batches() == 1 ? "batch" : "batches"));
        if (cp.rowsPerSecond() != null) b.append(String.format(Locale.ROOT, ", %,d rows/s", Math.round(cp.rowsPerSecond())));
        Long eta = cp.etaSeconds();
        if (eta != null) b.append(", ETA ").append(duration(eta));
        if (cp.batchSize() != null) b.append(String.format(Locale.ROOT, ", batch %,d", cp.batchSize()));
        if (cp.throttledMs() > 0) b.append(", throttled ").append(duration(Math.round(cp.throttledMs() / 1000.0)));
        return b.toString();
    }

    /** A bar of {@code width} cells for a terminal, or empty when the total is unknown. */
    static String bar(Checkpoint cp, int width) {
        Long total = cp.rowsEstimate();
        if (total == null || total <= 0) return "";
        int filled = (int) Math.min(width, Math.round((double) width * cp.rowsDone() / Math.max(total, cp.rowsDone())));
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] ";
    }

    /** {@code 45 s}, {@code 12 min 5 s}, {@code 3 h 20 min}. */
    static String duration(long seconds) {
        if (seconds < 60) return seconds + " s";
        if (seconds < 3_600) return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        return seconds / 3_600 + " h" + (seconds % 3_600 / 60 == 0 ? "" : " " + seconds % 3_600 / 60 + " min");
    }
}
