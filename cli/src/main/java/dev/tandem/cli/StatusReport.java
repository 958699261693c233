package dev.tandem.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tandem.plan.Phase;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventRecord;
import dev.tandem.state.ReleaseRecord;
import dev.tandem.state.ReleaseState;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import dev.tandem.state.StepStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code migrate status} prints: the newest release with its steps, as text for people or as
 * JSON for scripts.
 *
 * <p>Text: a header line (release, status, migrations, times), the steps phase by phase (number,
 * status, migration and line, kind, attempts, duration, the first line of the SQL; the error of
 * a failed step; the progress of a backfill), and a last line saying what to do next.
 *
 * <p>JSON, camelCase as the plan's JSON ({@code JsonRenderer}), every field always present and
 * {@code null} when it does not apply, times ISO-8601 UTC with milliseconds:
 * <pre>
 * { "release": { "id", "status", "fingerprint", "migrations": [..], "created", "started", "finished", "next" } | null,
 *   "steps":  [ { "id", "phase", "number", "migration", "line", "kind", "transactional", "status", "attempts",
 *                 "started", "finished", "durationMs", "sql", "rollback", "irreversible", "onlyIf",
 *                 "lastError", "lastSqlState",
 *                 "checkpoint": { "rowsDone", "batches", "lastKey": [..] | null, "maxKey": [..] | null, "updated" } | null } ],
 *   "events": [ { "id", "at", "type", "stepId", "detail": {..} } ] }
 * </pre>
 * {@code number} is the step's 1-based place in its phase, as the apply log shows it
 * ({@code [expand 2]}); {@code id} is the step's id, which {@code events[].stepId} refers to
 * ({@code null} for an event of the release). {@code detail} keys are sorted.
 */
final class StatusReport {
    static final String NO_RELEASE = "no release has been applied to this database";
    /** The first line of a step's SQL is cut here in the text. */
    static final int SQL_WIDTH = 80;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();
    private static final DateTimeFormatter JSON_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private StatusReport() {}

    // ---- text ----

    static void text(Optional<ReleaseState> state, PrintWriter out) {
        if (state.isEmpty()) {
            out.println(NO_RELEASE);
            out.flush();
            return;
        }
        ReleaseState s = state.get();
        ReleaseRecord r = s.release();
        Map<Long, Checkpoint> checkpoints = checkpoints(s);
        StringBuilder header = new StringBuilder("release ").append(r.id()).append(": ").append(r.status().id())
                .append(", migrations ").append(r.migrations().isEmpty() ? "(none)" : String.join(", ", r.migrations()))
                .append(" — created ").append(textTime(r.created()));
        if (r.started() != null) header.append(", started ").append(textTime(r.started()));
        if (r.finished() != null) header.append(", finished ").append(textTime(r.finished()));
        out.println(header);

        List<String[]> rows = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            List<StepRecord> steps = s.steps().stream().filter(x -> x.phase() == phase).toList();
            out.println(phase.id() + (steps.isEmpty() ? ": no steps" : ":"));
            rows.clear();
            for (StepRecord step : steps) {
                rows.add(new String[] {
                    Integer.toString(step.ordinal() + 1),
                    step.status().id(),
                    "migration " + step.migration() + ", line " + step.line(),
                    step.kind().id(),
                    step.attempts() + (step.attempts() == 1 ? " attempt" : " attempts"),
                    duration(step),
                    firstLine(step.sql())});
            }
            int[] width = widths(rows);
            for (int i = 0; i < steps.size(); i++) {
                StepRecord step = steps.get(i);
                String[] row = rows.get(i);
                StringBuilder line = new StringBuilder("  ");
                for (int c = 0; c < row.length; c++) {
                    boolean last = c == row.length - 1;
                    // numbers right-aligned, the rest left-aligned; no padding after the last column
                    line.append(c == 0 ? pad(row[c], width[c], true) : last ? row[c] : pad(row[c], width[c], false));
                    if (!last) line.append("  ");
                }
                out.println(line);
                String indent = "  " + " ".repeat(width[0]) + "  ";
                if (step.status() == StepStatus.FAILED && step.lastError() != null) {
                    // PostgreSQL's message, then its DETAIL/HINT/WHERE lines, aligned under it
                    out.println(indent + "error: " + step.lastError().strip().lines().map(String::strip)
                            .collect(Collectors.joining("\n" + indent + "       "))
                            + (step.lastSqlState() == null ? "" : " (SQLSTATE " + step.lastSqlState() + ")"));
                }
                Checkpoint cp = checkpoints.get(step.id());
                if (cp != null && step.kind() == StepKind.BACKFILL) {
                    out.println(indent + "backfill: " + BackfillProgress.line(cp)
                            + (cp.updated() == null ? "" : ", last batch committed " + textTime(cp.updated())));
                    if (cp.waitingFor() != null && step.status() == StepStatus.RUNNING) {
                        out.println(indent + "waiting: " + cp.waitingFor());
                    }
                }
            }
        }
        out.println(next(s));
        out.flush();
    }

    /**
     * What the operator does next, one line starting with where the release stands:
     * {@code next:}, {@code contract pending:}, {@code failed:}, {@code running:}, {@code done:},
     * {@code rolled back:}.
     */
    static String next(ReleaseState state) {
        List<StepRecord> steps = state.steps();
        Optional<StepRecord> open = steps.stream().filter(x -> !x.status().finished()).findFirst();
        String at = open.map(x -> " at " + x.phase().id() + " " + (x.ordinal() + 1)).orElse("");
        String phase = open.map(x -> " --phase " + x.phase().id()).orElse("");
        return switch (state.release().status()) {
            case DONE -> "done: every step is done or skipped; nothing to do until the next release";
            case ROLLED_BACK -> "rolled back: the schema is as it was before this release; the next migrate apply starts a new one";
            case FAILED -> {
                Optional<StepRecord> failed = steps.stream().filter(x -> x.status() == StepStatus.FAILED).findFirst();
                String where = failed.or(() -> open).map(x -> " " + x.phase().id() + " " + (x.ordinal() + 1)).orElse("");
                String p = failed.or(() -> open).map(x -> " --phase " + x.phase().id()).orElse("");
                yield "failed: fix the cause of the error at" + where + " and re-run migrate apply" + p
                        + " (it resumes at that step), or undo the release with migrate rollback";
            }
            // status takes no lock, so it cannot tell a live run from a killed one
            case RUNNING -> "running: a migrate apply is under way, or was killed; if none runs, migrate apply" + phase
                    + " continues it" + at;
            case STOPPED -> {
                if (open.isEmpty()) yield "next: migrate apply";
                boolean partlyUndone = steps.stream().anyMatch(x -> x.status() == StepStatus.ROLLED_BACK);
                String undo = partlyUndone ? ", or migrate rollback to finish undoing the release" : "";
                yield open.get().phase() == Phase.CONTRACT
                        ? "contract pending: deploy the new application version first; once the old version no longer runs,"
                                + " migrate apply --phase contract" + undo
                        : "next: migrate apply" + phase + undo;
            }
        };
    }

    // ---- JSON ----

    static void json(Optional<ReleaseState> state, List<EventRecord> events, PrintWriter out) {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            if (state.isEmpty()) {
                g.writeNullField("release");
                g.writeArrayFieldStart("steps");
                g.writeEndArray();
            } else {
                ReleaseState s = state.get();
                release(s, g);
                Map<Long, Checkpoint> checkpoints = checkpoints(s);
                g.writeArrayFieldStart("steps");
                for (StepRecord step : s.steps()) step(step, checkpoints.get(step.id()), g);
                g.writeEndArray();
            }
            g.writeArrayFieldStart("events");
            if (state.isPresent()) {
                for (EventRecord e : events) event(e, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    private static void release(ReleaseState s, JsonGenerator g) throws IOException {
        ReleaseRecord r = s.release();
        g.writeObjectFieldStart("release");
        g.writeNumberField("id", r.id());
        g.writeStringField("status", r.status().id());
        g.writeStringField("fingerprint", r.fingerprint());
        g.writeArrayFieldStart("migrations");
        for (String m : r.migrations()) g.writeString(m);
        g.writeEndArray();
        time("created", r.created(), g);
        time("started", r.started(), g);
        time("finished", r.finished(), g);
        g.writeStringField("next", next(s));
        g.writeEndObject();
    }

    private static void step(StepRecord s, Checkpoint cp, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", s.id());
        g.writeStringField("phase", s.phase().id());
        g.writeNumberField("number", s.ordinal() + 1);
        g.writeStringField("migration", s.migration());
        g.writeNumberField("line", s.line());
        g.writeStringField("kind", s.kind().id());
        g.writeBooleanField("transactional", s.transactional());
        g.writeStringField("status", s.status().id());
        g.writeNumberField("attempts", s.attempts());
        time("started", s.started(), g);
        time("finished", s.finished(), g);
        if (s.started() != null && s.finished() != null) {
            g.writeNumberField("durationMs", Duration.between(s.started(), s.finished()).toMillis());
        } else {
            g.writeNullField("durationMs");
        }
        g.writeStringField("sql", s.sql());
        g.writeStringField("rollback", s.rollback());
        g.writeStringField("irreversible", s.irreversible());
        if (s.onlyIf() == null) g.writeNullField("onlyIf");
        else g.writeBooleanField("onlyIf", s.onlyIf());
        g.writeStringField("lastError", s.lastError());
        g.writeStringField("lastSqlState", s.lastSqlState());
        if (cp == null) {
            g.writeNullField("checkpoint");
        } else {
            g.writeObjectFieldStart("checkpoint");
            g.writeNumberField("rowsDone", cp.rowsDone());
            g.writeNumberField("batches", cp.batches());
            strings("lastKey", cp.lastKey(), g);
            strings("maxKey", cp.maxKey(), g);
            time("updated", cp.updated(), g);
            nullableNumber("rowsEstimate", cp.rowsEstimate(), g);
            nullableNumber("batchSize", cp.batchSize(), g);
            if (cp.rowsPerSecond() == null) g.writeNullField("rowsPerSecond");
            else g.writeNumberField("rowsPerSecond", Math.round(cp.rowsPerSecond() * 10) / 10.0);
            nullableNumber("etaSeconds", cp.etaSeconds(), g);
            g.writeNumberField("throttledMs", cp.throttledMs());
            g.writeStringField("waitingFor", cp.waitingFor());
            time("started", cp.started(), g);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void nullableNumber(String name, Number n, JsonGenerator g) throws IOException {
        if (n == null) g.writeNullField(name);
        else g.writeNumberField(name, n.longValue());
    }

    private static void event(EventRecord e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", e.id());
        time("at", e.at(), g);
        g.writeStringField("type", e.type().id());
        if (e.stepId() == null) g.writeNullField("stepId");
        else g.writeNumberField("stepId", e.stepId());
        g.writeFieldName("detail");
        g.writeObject(e.detail()); // through the mapper: nested values as read back, keys sorted
        g.writeEndObject();
    }

    private static void strings(String field, List<String> values, JsonGenerator g) throws IOException {
        if (values == null) {
            g.writeNullField(field);
            return;
        }
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static void time(String field, Instant t, JsonGenerator g) throws IOException {
        if (t == null) g.writeNullField(field);
        else g.writeStringField(field, JSON_TIME.format(t));
    }

    // ---- helpers ----

    private static Map<Long, Checkpoint> checkpoints(ReleaseState s) {
        return s.checkpoints().stream().collect(Collectors.toMap(Checkpoint::stepId, Function.identity(), (a, b) -> b));
    }

    /** Seconds are enough for people; the stored microseconds are in the JSON's milliseconds. */
    private static String textTime(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** finished − started; for a step started and not finished, when it started. */
    static String duration(StepRecord s) {
        if (s.started() == null) return "-";
        if (s.finished() == null) return "started " + textTime(s.started());
        return human(Duration.between(s.started(), s.finished()));
    }

    static String human(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) return ms + " ms";
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        long s = ms / 1_000;
        if (s < 3_600) return s / 60 + " min " + s % 60 + " s";
        return s / 3_600 + " h " + s % 3_600 / 60 + " min";
    }

    /** The first non-blank line, cut at {@link #SQL_WIDTH} characters; " …" when anything was left out. */
    static String firstLine(String sql) {
        if (sql == null) return "";
        List<String> lines = sql.strip().lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) return "";
        String first = lines.get(0).strip();
        if (first.length() > SQL_WIDTH) return first.substring(0, SQL_WIDTH) + " …";
        return lines.size() > 1 ? first + " …" : first;
    }

    private static int[] widths(List<String[]> rows) {
        int[] w = new int[7];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) w[c] = Math.max(w[c], row[c].length());
        }
        return w;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
