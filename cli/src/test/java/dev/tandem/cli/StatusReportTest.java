package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.plan.Phase;
import dev.tandem.state.Checkpoint;
import dev.tandem.state.EventRecord;
import dev.tandem.state.EventType;
import dev.tandem.state.ReleaseRecord;
import dev.tandem.state.ReleaseState;
import dev.tandem.state.ReleaseStatus;
import dev.tandem.state.StepKind;
import dev.tandem.state.StepRecord;
import dev.tandem.state.StepStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code migrate status} output, from release states built by hand: no database involved. */
class StatusReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123456Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    private static ReleaseRecord release(ReleaseStatus status, Instant finished) {
        return new ReleaseRecord(7, "f1ng3rpr1nt", List.of("2", "3"), status, T0, at(1_000), finished);
    }

    private static StepRecord step(long id, Phase phase, int ordinal, StepKind kind, StepStatus status, String sql,
                                   Instant started, Instant finished) {
        return new StepRecord(id, 7, phase, ordinal, "2", 10 + ordinal, kind, kind == StepKind.DDL, sql,
                kind == StepKind.DDL ? "ALTER TABLE users DROP COLUMN full_name" : null,
                kind == StepKind.BACKFILL ? "the old values are overwritten" : null, "hash" + id, status,
                status == StepStatus.PENDING ? 0 : 1, null, null, null, started, finished);
    }

    private static StepRecord failed(StepRecord s, int attempts, String error, String sqlState) {
        return new StepRecord(s.id(), s.releaseId(), s.phase(), s.ordinal(), s.migration(), s.line(), s.kind(), s.transactional(),
                s.sql(), s.rollback(), s.irreversible(), s.contentHash(), StepStatus.FAILED, attempts, error, sqlState,
                s.onlyIf(), s.started(), s.finished());
    }

    private static String text(Optional<ReleaseState> state) {
        return render(out -> StatusReport.text(state, out));
    }

    private static JsonNode json(Optional<ReleaseState> state, List<EventRecord> events) throws Exception {
        String written = render(out -> StatusReport.json(state, events, out));
        assertThat(written).endsWith("}" + System.lineSeparator());
        return JSON.readTree(written);
    }

    private static String render(Consumer<PrintWriter> renderer) {
        StringWriter w = new StringWriter();
        renderer.accept(new PrintWriter(w));
        return w.toString();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    /** Expand: one done step, one that failed; backfill: pending; contract: pending. */
    private static ReleaseState failedInExpand() {
        StepRecord done = step(101, Phase.EXPAND, 0, StepKind.DDL, StepStatus.DONE,
                "ALTER TABLE users ADD COLUMN full_name text", at(2_000), at(2_012));
        StepRecord index = failed(step(102, Phase.EXPAND, 1, StepKind.CONCURRENT, StepStatus.FAILED,
                "CREATE INDEX CONCURRENTLY users_full_name_idx\n    ON users (full_name)", at(3_000), at(4_500)),
                3, "canceling statement due to lock timeout\n  Where: while creating index", "55P03");
        StepRecord backfill = step(103, Phase.BACKFILL, 0, StepKind.BACKFILL, StepStatus.PENDING,
                "UPDATE users SET full_name = name in batches of 1000 by (id)", null, null);
        StepRecord drop = step(104, Phase.CONTRACT, 0, StepKind.DDL, StepStatus.PENDING, "ALTER TABLE users DROP COLUMN name",
                null, null);
        return new ReleaseState(release(ReleaseStatus.FAILED, null), List.of(done, index, backfill, drop), List.of());
    }

    @Test
    void withoutAReleaseTextSaysSoAndJsonIsEmpty() throws Exception {
        assertThat(text(Optional.empty())).isEqualTo("no release has been applied to this database" + System.lineSeparator());
        JsonNode json = json(Optional.empty(), List.of());
        assertThat(fieldNames(json)).containsExactly("release", "steps", "events");
        assertThat(json.get("release").isNull()).isTrue();
        assertThat(json.get("steps").isArray() && json.get("steps").isEmpty()).isTrue();
        assertThat(json.get("events").isArray() && json.get("events").isEmpty()).isTrue();
    }

    @Test
    void textShowsTheReleaseItsStepsByPhaseTheErrorAndWhatToDoNext() {
        List<String> lines = text(Optional.of(failedInExpand())).lines().toList();
        assertThat(lines.get(0)).isEqualTo("release 7: failed, migrations 2, 3 — created 2026-12-04T10:00:00Z,"
                + " started 2026-12-04T10:00:01Z");
        assertThat(lines.get(1)).isEqualTo("expand:");
        assertThat(lines.get(2)).isEqualTo(
                "  1  done    migration 2, line 10  ddl         1 attempt   12 ms  ALTER TABLE users ADD COLUMN full_name text");
        assertThat(lines.get(3)).isEqualTo("  2  failed  migration 2, line 11  concurrent  3 attempts  1.5 s  "
                + "CREATE INDEX CONCURRENTLY users_full_name_idx …");
        assertThat(lines.get(4)).isEqualTo("     error: canceling statement due to lock timeout");
        assertThat(lines.get(5)).isEqualTo("            Where: while creating index (SQLSTATE 55P03)");
        assertThat(lines.get(6)).isEqualTo("backfill:");
        assertThat(lines.get(7)).startsWith("  1  pending  migration 2, line 10  backfill  0 attempts  -  UPDATE users SET");
        assertThat(lines.get(8)).isEqualTo("contract:");
        assertThat(lines.get(9)).startsWith("  1  pending");
        assertThat(lines.get(10)).isEqualTo("failed: fix the cause of the error at expand 2 and re-run migrate apply --phase expand"
                + " (it resumes at that step), or undo the release with migrate rollback");
        assertThat(lines).hasSize(11);
    }

    @Test
    void aRunningBackfillShowsItsCheckpoint() {
        StepRecord expand = step(1, Phase.EXPAND, 0, StepKind.DDL, StepStatus.DONE, "ALTER TABLE t ADD COLUMN c int",
                at(0), at(5));
        StepRecord backfill = step(2, Phase.BACKFILL, 0, StepKind.BACKFILL, StepStatus.RUNNING,
                "UPDATE t SET c = 0 in batches of 1000 by (id)", at(10_000), null);
        Checkpoint cp = new Checkpoint(2, List.of("12000"), List.of("50000"), 12_000, 12, at(70_400), 1_250, "def", 50_000L,
                400.0, 3_000, "replication-lag: standby s1 replay 7 s > 2 s", at(10_000));
        ReleaseState state = new ReleaseState(release(ReleaseStatus.RUNNING, null), List.of(expand, backfill), List.of(cp));
        List<String> lines = text(Optional.of(state)).lines().toList();
        assertThat(lines).containsSubsequence(
                "backfill:",
                "  1  running  migration 2, line 10  backfill  1 attempt  started 2026-12-04T10:00:10Z"
                        + "  UPDATE t SET c = 0 in batches of 1000 by (id)",
                "     backfill: 12,000 of ~50,000 rows (24%) in 12 batches, 400 rows/s, ETA 1 min 35 s, batch 1,250,"
                        + " throttled 3 s, last batch committed 2026-12-04T10:01:10Z",
                "     waiting: replication-lag: standby s1 replay 7 s > 2 s",
                "contract: no steps");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("running: a migrate apply is under way, or was killed;"
                + " if none runs, migrate apply --phase backfill continues it at backfill 1");
    }

    @Test
    void theNextLineFollowsWhereTheReleaseStands() {
        StepRecord expand = step(1, Phase.EXPAND, 0, StepKind.DDL, StepStatus.DONE, "x", at(0), at(1));
        StepRecord backfillPending = step(2, Phase.BACKFILL, 0, StepKind.BACKFILL, StepStatus.PENDING, "b", null, null);
        StepRecord backfillDone = step(2, Phase.BACKFILL, 0, StepKind.BACKFILL, StepStatus.DONE, "b", at(2), at(3));
        StepRecord contractPending = step(3, Phase.CONTRACT, 0, StepKind.DDL, StepStatus.PENDING, "c", null, null);
        StepRecord contractDone = step(3, Phase.CONTRACT, 0, StepKind.DDL, StepStatus.DONE, "c", at(4), at(5));

        assertThat(StatusReport.next(new ReleaseState(release(ReleaseStatus.STOPPED, null),
                List.of(expand, backfillPending, contractPending), List.of())))
                .isEqualTo("next: migrate apply --phase backfill");
        assertThat(StatusReport.next(new ReleaseState(release(ReleaseStatus.STOPPED, null),
                List.of(expand, backfillDone, contractPending), List.of())))
                .startsWith("contract pending: deploy the new application version first")
                .endsWith("migrate apply --phase contract");
        assertThat(StatusReport.next(new ReleaseState(release(ReleaseStatus.DONE, at(9)),
                List.of(expand, backfillDone, contractDone), List.of()))).startsWith("done:");
        StepRecord undone = step(1, Phase.EXPAND, 0, StepKind.DDL, StepStatus.ROLLED_BACK, "x", at(0), at(1));
        assertThat(StatusReport.next(new ReleaseState(release(ReleaseStatus.ROLLED_BACK, at(9)), List.of(undone), List.of())))
                .startsWith("rolled back:");
        // a partial rollback (of backfill only) leaves the release stopped: forward again, or finish undoing it
        StepRecord backfillUndone = step(2, Phase.BACKFILL, 0, StepKind.BACKFILL, StepStatus.ROLLED_BACK, "b", at(2), at(3));
        assertThat(StatusReport.next(new ReleaseState(release(ReleaseStatus.STOPPED, null),
                List.of(expand, backfillUndone, contractPending), List.of())))
                .isEqualTo("next: migrate apply --phase backfill, or migrate rollback to finish undoing the release");
    }

    @Test
    void longSqlIsCutToItsFirstLineAndEightyCharacters() {
        String longLine = "UPDATE accounts SET normalized_email = lower(email) WHERE normalized_email IS NULL AND id > 0";
        assertThat(StatusReport.firstLine(longLine)).isEqualTo(longLine.substring(0, 80) + " …");
        assertThat(StatusReport.firstLine("\n  SELECT 1;\n")).isEqualTo("SELECT 1;");
        assertThat(StatusReport.firstLine("BEGIN;\nSELECT 1;")).isEqualTo("BEGIN; …");
        assertThat(StatusReport.human(Duration.ofMillis(999))).isEqualTo("999 ms");
        assertThat(StatusReport.human(Duration.ofMillis(61_500))).isEqualTo("1 min 1 s");
        assertThat(StatusReport.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    }

    @Test
    void jsonHoldsTheReleaseEveryStepFieldAndTheEvents() throws Exception {
        ReleaseState base = failedInExpand();
        Checkpoint cp = new Checkpoint(103, List.of("41", "b"), null, 41, 1, at(9_000));
        ReleaseState state = new ReleaseState(base.release(), base.steps(), List.of(cp));
        Map<String, Object> retried = new LinkedHashMap<>();
        retried.put("sqlState", "55P03");
        retried.put("attempt", 1);
        retried.put("delayMs", 250);
        List<EventRecord> events = List.of(
                new EventRecord(1, 7, null, at(1_000), EventType.RUN_STARTED, Map.of("phases", List.of("expand"))),
                new EventRecord(2, 7, 102L, at(3_200), EventType.STEP_RETRIED, retried));
        JsonNode json = json(Optional.of(state), events);

        JsonNode r = json.get("release");
        assertThat(fieldNames(r)).containsExactly("id", "status", "fingerprint", "migrations", "created", "started", "finished",
                "next");
        assertThat(r.get("id").asLong()).isEqualTo(7);
        assertThat(r.get("status").asText()).isEqualTo("failed");
        assertThat(r.get("migrations").toString()).isEqualTo("[\"2\",\"3\"]");
        assertThat(r.get("created").asText()).isEqualTo("2026-12-04T10:00:00.123Z");
        assertThat(r.get("started").asText()).isEqualTo("2026-12-04T10:00:01.123Z");
        assertThat(r.get("finished").isNull()).isTrue();
        assertThat(r.get("next").asText()).isEqualTo(StatusReport.next(state));

        JsonNode steps = json.get("steps");
        assertThat(steps).hasSize(4);
        for (JsonNode s : steps) {
            assertThat(fieldNames(s)).containsExactly("id", "phase", "number", "migration", "line", "kind", "transactional",
                    "status", "attempts", "started", "finished", "durationMs", "sql", "rollback", "irreversible", "onlyIf",
                    "lastError", "lastSqlState", "checkpoint");
        }
        JsonNode failedStep = steps.get(1);
        assertThat(failedStep.get("id").asLong()).isEqualTo(102);
        assertThat(failedStep.get("phase").asText()).isEqualTo("expand");
        assertThat(failedStep.get("number").asInt()).isEqualTo(2);
        assertThat(failedStep.get("kind").asText()).isEqualTo("concurrent");
        assertThat(failedStep.get("transactional").asBoolean()).isFalse();
        assertThat(failedStep.get("status").asText()).isEqualTo("failed");
        assertThat(failedStep.get("attempts").asInt()).isEqualTo(3);
        assertThat(failedStep.get("durationMs").asLong()).isEqualTo(1_500);
        assertThat(failedStep.get("sql").asText()).contains("\n    ON users (full_name)"); // the whole SQL, not cut
        assertThat(failedStep.get("lastError").asText()).startsWith("canceling statement due to lock timeout\n");
        assertThat(failedStep.get("lastSqlState").asText()).isEqualTo("55P03");
        assertThat(failedStep.get("rollback").isNull()).isTrue();
        assertThat(failedStep.get("onlyIf").isNull()).isTrue();
        assertThat(failedStep.get("checkpoint").isNull()).isTrue();
        assertThat(steps.get(0).get("rollback").asText()).isEqualTo("ALTER TABLE users DROP COLUMN full_name");

        JsonNode backfill = steps.get(2);
        assertThat(backfill.get("started").isNull()).isTrue();
        assertThat(backfill.get("durationMs").isNull()).isTrue();
        assertThat(backfill.get("irreversible").asText()).isEqualTo("the old values are overwritten");
        JsonNode checkpoint = backfill.get("checkpoint");
        assertThat(fieldNames(checkpoint)).containsExactly("rowsDone", "batches", "lastKey", "maxKey", "updated", "rowsEstimate",
                "batchSize", "rowsPerSecond", "etaSeconds", "throttledMs", "waitingFor", "started");
        assertThat(checkpoint.get("etaSeconds").isNull()).isTrue();
        assertThat(checkpoint.get("rowsDone").asLong()).isEqualTo(41);
        assertThat(checkpoint.get("lastKey").toString()).isEqualTo("[\"41\",\"b\"]");
        assertThat(checkpoint.get("maxKey").isNull()).isTrue();
        assertThat(checkpoint.get("updated").asText()).isEqualTo("2026-12-04T10:00:09.123Z");

        JsonNode log = json.get("events");
        assertThat(log).hasSize(2);
        assertThat(fieldNames(log.get(0))).containsExactly("id", "at", "type", "stepId", "detail");
        assertThat(log.get(0).get("type").asText()).isEqualTo("run_started");
        assertThat(log.get(0).get("stepId").isNull()).isTrue();
        assertThat(log.get(0).get("detail").get("phases").toString()).isEqualTo("[\"expand\"]");
        assertThat(log.get(1).get("stepId").asLong()).isEqualTo(102);
        assertThat(log.get(1).get("at").asText()).isEqualTo("2026-12-04T10:00:03.323Z");
        // detail keys sorted, whatever order the map had: the output is the same every run
        assertThat(fieldNames(log.get(1).get("detail"))).containsExactly("attempt", "delayMs", "sqlState");
        assertThat(log.get(1).get("detail").get("delayMs").asInt()).isEqualTo(250);
    }

    @Test
    void jsonIsTheSameForTheSameState() throws Exception {
        ReleaseState state = failedInExpand();
        String a = render(out -> StatusReport.json(Optional.of(state), List.of(), out));
        String b = render(out -> StatusReport.json(Optional.of(state), List.of(), out));
        assertThat(a).isEqualTo(b);
        assertThat(JSON.readTree(a).get("steps")).hasSize(4);
    }
}
