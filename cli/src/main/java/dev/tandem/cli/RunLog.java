package dev.tandem.cli;

import dev.tandem.exec.ExecListener;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventType;
import dev.tandem.state.StepRecord;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The log of a run as it goes, one line per step event, flushed at once: a Kubernetes Job's log
 * or a CI console shows where a long run is, and a killed run's log ends at the step it was in.
 * A backfill's progress is a bar redrawn in place on a terminal, and otherwise a line every
 * {@link #PROGRESS_EVERY} (a log collector keeps every line; one per batch would drown it).
 */
final class RunLog implements ExecListener {
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final int BAR = 24;
    private static final Duration BAR_EVERY = Duration.ofMillis(200);

    private final PrintWriter out;
    private final boolean terminal;
    private final Clock clock;
    private Instant lastProgress;
    private boolean barShown;

    RunLog(PrintWriter out, boolean terminal, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public void on(EventType type, StepRecord step, Map<String, ?> detail) {
        String what = switch (type) {
            case STEP_STARTED -> "started: " + firstLine(step.sql());
            case STEP_DONE -> detail.containsKey("rowsDone") ? done(((Number) detail.get("rowsDone")).longValue(),
                    ((Number) detail.get("batches")).longValue()) : "done";
            case STEP_SKIPPED -> "skipped: its guard found nothing to do";
            case CLEANUP_RAN -> "removed what an interrupted attempt left: " + detail.get("sql");
            case STEP_RETRIED -> "attempt " + detail.get("attempt") + " failed (" + detail.get("error") + "), retrying in "
                    + detail.get("delayMs") + " ms";
            case STEP_ROLLED_BACK -> Boolean.TRUE.equals(detail.get("nothingToUndo")) ? "rolled back (nothing to undo)"
                    : "rolled back: " + firstLine(String.valueOf(detail.get("sql")));
            case BACKFILL_THROTTLED -> "waiting, no batch runs: " + detail.get("reason");
            case BACKFILL_RESUMED -> "going on after waiting "
                    + BackfillProgress.duration(Math.round(((Number) detail.get("waitedMs")).longValue() / 1000.0));
            case BACKFILL_BATCH_SPLIT -> "a batch of " + detail.get("rows") + " rows hit the batch timeout and was rolled back ("
                    + detail.get("error") + "); trying " + detail.get("nextRows");
            case BACKFILL_SETTINGS_CHANGED -> detail.containsKey("refused")
                    ? "new settings refused, the old ones stay: " + detail.get("refused")
                    : "new settings" + (detail.get("by") == null || "".equals(detail.get("by")) ? "" : " from " + detail.get("by"))
                            + ": " + settings(detail.get("settings"));
            default -> null;
        };
        if (what == null) return;
        endBar();
        out.printf(Locale.ROOT, "%s %s%n", prefix(step), what);
        out.flush();
    }

    @Override
    public void progress(StepRecord step, Checkpoint p) {
        Instant now = clock.instant();
        if (terminal) {
            // at most five redraws a second (a backfill of 20 ms batches would redraw fifty times)
            if (lastProgress != null && Duration.between(lastProgress, now).compareTo(BAR_EVERY) < 0) return;
            lastProgress = now;
            // redrawn in place; padded so that a shorter line wipes the longer one before it
            String line = String.format(Locale.ROOT, "%s %s%s", prefix(step), BackfillProgress.bar(p, BAR),
                    BackfillProgress.line(p));
            out.print("\r" + line + "        ");
            out.flush();
            barShown = true;
            return;
        }
        if (lastProgress != null && Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) < 0) return;
        lastProgress = now;
        out.printf(Locale.ROOT, "%s %s%n", prefix(step), BackfillProgress.line(p));
        out.flush();
    }

    /** Ends a progress bar's line: before another line is printed, and when the run ends. */
    void endBar() {
        if (barShown) {
            out.println();
            barShown = false;
        }
    }

    private static String done(long rows, long batches) {
        return String.format(Locale.ROOT, "done: %,d %s in %,d %s", rows, rows == 1 ? "row" : "rows", batches,
                batches == 1 ? "batch" : "batches");
    }

    private static String prefix(StepRecord step) {
        return String.format(Locale.ROOT, "[%s %d] migration %s, line %d:", step.phase().id(), step.ordinal() + 1,
                step.migration(), step.line());
    }

    private static String settings(Object settings) {
        if (!(settings instanceof Map<?, ?> m) || m.isEmpty()) return "the defaults";
        return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String firstLine(String sql) {
        String first = sql.strip().lines().findFirst().orElse("");
        boolean more = first.length() > 100 || sql.strip().lines().count() > 1;
        return (first.length() > 100 ? first.substring(0, 100) : first) + (more ? " …" : "");
    }
}
