package dev.tandem.cli;

import dev.tandem.exec.ExecListener;
import dev.tandem.state.EventType;
import dev.tandem.state.StepRecord;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * The log of a run as it goes, one line per step event, flushed at once: a Kubernetes Job's log
 * or a CI console shows where a long run is, and a killed run's log ends at the step it was in.
 */
record RunLog(PrintWriter out) implements ExecListener {
    @Override
    public void on(EventType type, StepRecord step, Map<String, ?> detail) {
        String what = switch (type) {
            case STEP_STARTED -> "started: " + firstLine(step.sql());
            case STEP_DONE -> detail.containsKey("rowsDone") ? "done: " + detail.get("rowsDone") + " rows in "
                    + detail.get("batches") + " batches" : "done";
            case STEP_SKIPPED -> "skipped: its guard found nothing to do";
            case CLEANUP_RAN -> "removed what an interrupted attempt left: " + detail.get("sql");
            case STEP_RETRIED -> "attempt " + detail.get("attempt") + " failed (" + detail.get("error") + "), retrying in "
                    + detail.get("delayMs") + " ms";
            case STEP_ROLLED_BACK -> Boolean.TRUE.equals(detail.get("nothingToUndo")) ? "rolled back (nothing to undo)"
                    : "rolled back: " + firstLine(String.valueOf(detail.get("sql")));
            default -> null;
        };
        if (what == null) return;
        out.printf(Locale.ROOT, "[%s %d] migration %s, line %d: %s%n", step.phase().id(), step.ordinal() + 1,
                step.migration(), step.line(), what);
        out.flush();
    }

    private static String firstLine(String sql) {
        String first = sql.strip().lines().findFirst().orElse("");
        boolean more = first.length() > 100 || sql.strip().lines().count() > 1;
        return (first.length() > 100 ? first.substring(0, 100) : first) + (more ? " …" : "");
    }
}
