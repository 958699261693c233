package dev.tandem.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.plan.Phase;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventRecord;
import dev.tandem.state.ReleaseRecord;
import dev.tandem.state.ReleaseState;
import dev.tandem.state.ReleaseStatus;
import dev.tandem.state.StepRecord;
import dev.tandem.state.StepStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What {@code migrate status} prints: the newest release, its steps, and in JSON its event log. */
final class StatusReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusReport() {}

    static void text(Optional<ReleaseState> state, PrintWriter out) {
        if (state.isEmpty()) {
            out.println("No release has been applied to this database.");
            return;
        }
        ReleaseRecord r = state.get().release();
        Map<Long, Checkpoint> checkpoints = state.get().checkpoints().stream()
                .collect(Collectors.toMap(Checkpoint::stepId, Function.identity()));
        out.println("Release " + r.id() + ": " + r.status().id() + " — migrations " + String.join(", ", r.migrations()));
        out.println("  created " + r.created() + (r.started() == null ? "" : ", started " + r.started())
                + (r.finished() == null ? "" : ", finished " + r.finished()));
        Phase current = null;
        for (StepRecord s : state.get().steps()) {
            if (s.phase() != current) {
                current = s.phase();
                out.println(current.id() + ":");
            }
            Checkpoint cp = checkpoints.get(s.id());
            out.printf(Locale.ROOT, "  %3d  %-11s migration %s, line %d  %s%s%s%n", s.ordinal() + 1, s.status().id(),
                    s.migration(), s.line(), s.kind().id(),
                    s.attempts() > 1 ? ", " + s.attempts() + " attempts" : "",
                    duration(s).map(d -> ", " + d).orElse("")
                            + (cp == null ? "" : ", " + cp.rowsDone() + " rows in " + cp.batches() + " batches"));
            out.println("       " + firstLine(s.sql()));
            if (s.status() == StepStatus.FAILED && s.lastError() != null) {
                out.println("       error: " + s.lastError().replace("\n", "\n       ")
                        + (s.lastSqlState() == null ? "" : " (SQLSTATE " + s.lastSqlState() + ")"));
            }
        }
        out.println(next(state.get()));
    }

    static void json(Optional<ReleaseState> state, List<EventRecord> events, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode steps = root.putArray("steps");
        ArrayNode log = root.putArray("events");
        if (state.isEmpty()) {
            root.putNull("release");
        } else {
            ReleaseRecord r = state.get().release();
            ObjectNode rel = root.putObject("release");
            rel.put("id", r.id());
            rel.put("status", r.status().id());
            rel.put("fingerprint", r.fingerprint());
            r.migrations().forEach(rel.putArray("migrations")::add);
            time(rel, "created", r.created());
            time(rel, "started", r.started());
            time(rel, "finished", r.finished());
            rel.put("next", next(state.get()));
            Map<Long, Checkpoint> checkpoints = state.get().checkpoints().stream()
                    .collect(Collectors.toMap(Checkpoint::stepId, Function.identity()));
            for (StepRecord s : state.get().steps()) {
                ObjectNode n = steps.addObject();
                n.put("phase", s.phase().id());
                n.put("ordinal", s.ordinal() + 1);
                n.put("migration", s.migration());
                n.put("line", s.line());
                n.put("kind", s.kind().id());
                n.put("transactional", s.transactional());
                n.put("status", s.status().id());
                n.put("attempts", s.attempts());
                n.put("sql", s.sql());
                n.put("rollback", s.rollback());
                n.put("irreversible", s.irreversible());
                n.put("error", s.lastError());
                n.put("sqlState", s.lastSqlState());
                time(n, "started", s.started());
                time(n, "finished", s.finished());
                Checkpoint cp = checkpoints.get(s.id());
                if (cp != null) {
                    ObjectNode c = n.putObject("backfill");
                    c.put("rowsDone", cp.rowsDone());
                    c.put("batches", cp.batches());
                    time(c, "updated", cp.updated());
                }
            }
            for (EventRecord e : events) {
                ObjectNode n = log.addObject();
                time(n, "at", e.at());
                n.put("type", e.type().id());
                if (e.stepId() == null) n.putNull("step");
                else n.put("step", e.stepId());
                n.set("detail", JSON.valueToTree(e.detail()));
            }
        }
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("status is plain data", e);
        }
    }

    /** What the operator does next. */
    static String next(ReleaseState state) {
        ReleaseStatus status = state.release().status();
        List<StepRecord> steps = state.steps();
        return switch (status) {
            case DONE -> "Done.";
            case ROLLED_BACK -> "Rolled back.";
            case RUNNING -> "A run is under way (or was killed: the next migrate apply continues it).";
            case FAILED -> "A step failed: fix the cause and run migrate apply again (it resumes at that step), or migrate rollback.";
            case STOPPED -> steps.stream().filter(s -> !s.status().finished()).findFirst()
                    .map(s -> s.phase() == Phase.CONTRACT
                            ? "Next: deploy the new application version, then migrate apply --phase contract."
                            : "Next: migrate apply --phase " + s.phase().id() + ".")
                    .orElse("Next: migrate apply --phase contract.");
        };
    }

    private static Optional<String> duration(StepRecord s) {
        if (s.started() == null || s.finished() == null) return Optional.empty();
        Duration d = Duration.between(s.started(), s.finished());
        return Optional.of(d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0));
    }

    private static void time(ObjectNode n, String field, Instant t) {
        if (t == null) n.putNull(field);
        else n.put(field, t.toString());
    }

    private static String firstLine(String sql) {
        String first = sql.strip().lines().findFirst().orElse("");
        return first.length() > 100 ? first.substring(0, 100) + " …" : first + (sql.strip().contains("\n") ? " …" : "");
    }
}
