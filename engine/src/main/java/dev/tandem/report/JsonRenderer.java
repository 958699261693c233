package dev.tandem.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tandem.classify.Classification;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.TableLock;
import dev.tandem.plan.BackfillStep;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.ReleasePlan;
import dev.tandem.plan.SqlStep;
import dev.tandem.plan.Step;
import dev.tandem.plan.Unplanned;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * The JSON plan, DESIGN.md's machine contract:
 *
 * <pre>
 * { "postgresVersion": "16",
 *   "summary": { "classification", "migrations", "statements", "findings", "suppressed",
 *                "statementsByClass": {class: n}, "migrationsByClass": {class: n} },
 *   "migrations": [ { "version", "description", "script", "classification",
 *       "statements": [ { "line", "sql", "classification",
 *           "locks": [ {"table", "mode"} ], "rewrites": [table], "scans": [table],
 *           "findings": [ {"rule", "severity", "message", "fix"} ], "suppressed": [rule],
 *           "traced": bool, "trace": {"how", "commands": [tag], "error"} (only when traced) } ] } ],
 *   "phases": [ { "phase": "expand", "steps": [step] }, { "phase": "backfill", … }, { "phase": "contract", … } ],
 *   "unplanned": [ { "migration", "line", "sql", "reason", "message", "instead" } ],
 *   "release": { "executable", "reversibleBeforeContract", "gate" } }
 * </pre>
 *
 * {@code summary}, {@code severity} and {@code suppressed} are additions to the contract; lock
 * modes are {@code pg_locks} names ({@code AccessExclusiveLock}); {@code version} is {@code null}
 * for a repeatable migration.
 *
 * <h2>The release plan</h2>
 * {@code phases} holds all three phases, always, in the order they run, each with its steps in the
 * order the executor runs them (an empty {@code steps} array for a phase with nothing to do). The
 * gate (the new application version fully rolled out, the old one gone) is between
 * {@code backfill} and {@code contract}. Every field of a step is always present; a field that
 * does not apply is {@code null}, as {@code version} is for a repeatable migration. A step is one of:
 * <ul>
 *   <li>{@code {"type": "sql", "migration", "line", "purpose", "sql", "transactional", "locks",
 *       "onlyIf", "cleanup", "rollback", "irreversible", "destructive"}}: {@code migration} is the
 *       version of the migration the step comes from (its script for a repeatable one) and
 *       {@code line} the statement's line in it; {@code purpose} says what the step does and why
 *       this way; {@code sql} is what runs, several statements separated by {@code ";\n"} only in
 *       a transactional step (they commit together); {@code transactional} false means autocommit
 *       (CONCURRENTLY) and SQL that is harmless to run again; {@code locks} are
 *       {@code [{"table", "mode"}]} as for statements, what the step is expected to wait for;
 *       {@code onlyIf} is a query, or {@code null}: the step runs only if it returns a row;
 *       {@code cleanup} is {@code {"when", "sql"}} or {@code null}: run {@code sql} before every
 *       attempt when the query {@code when} returns a row; {@code rollback} is the statement that
 *       undoes the step, or {@code null}; {@code irreversible} is {@code null} when the step can
 *       be undone (by {@code rollback}, or by nothing when there is nothing to undo), else why
 *       not; {@code destructive} true means the step deletes data (only ever in contract).</li>
 *   <li>{@code {"type": "backfill", "migration", "line", "purpose", "table", "key", "operation",
 *       "set", "where", "irreversible"}}: a batched data change on {@code table} (as SQL), walked
 *       in keyset batches over the {@code key} columns (an array); {@code operation} is
 *       {@code "update"} (apply the SET list {@code set}) or {@code "delete"} ({@code set} is
 *       {@code null}); {@code where} is the row filter as written, or {@code null} for every row;
 *       {@code irreversible} as for an SQL step.</li>
 * </ul>
 * {@code unplanned} lists, in migration order, the statements the plan does not carry out:
 * {@code reason} is one of {@code blocking}, {@code review}, {@code recipe-not-yet-available},
 * {@code precondition}, {@code order}; {@code message} says what is in the way and
 * {@code instead} what to do. {@code release} sums the plan up: {@code executable} is false when
 * anything is unplanned (the release cannot run as a whole); {@code reversibleBeforeContract} says
 * whether every expand and backfill step can be undone, so that the release can be abandoned up to
 * the gate; {@code gate} says, for people, where the deploy happens.
 *
 * <p>Rendered without a release plan (the classification alone), {@code phases} is an empty array
 * and {@code unplanned} and {@code release} are left out.
 *
 * <p>Written with Jackson's streaming generator rather than data binding: no reflection, no
 * ObjectMapper start-up, constant memory for large histories.
 */
public final class JsonRenderer implements ReportRenderer {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** The {@code release.gate} text. */
    static final String GATE = "between backfill and contract: deploy the new application version, "
            + "and run contract only once the old version is gone";

    @Override
    public void render(ClassifiedSet set, ReleasePlan plan, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("postgresVersion", set.postgresVersion().toString());
            summary(Summary.of(set), g);
            g.writeArrayFieldStart("migrations");
            for (MigrationResult m : set.migrations()) {
                migration(m, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("phases");
            if (plan != null) {
                for (PhasePlan p : plan.phases()) phase(p, g);
            }
            g.writeEndArray();
            if (plan != null) {
                g.writeArrayFieldStart("unplanned");
                for (Unplanned u : plan.unplanned()) unplanned(u, g);
                g.writeEndArray();
                g.writeObjectFieldStart("release");
                g.writeBooleanField("executable", plan.executable());
                g.writeBooleanField("reversibleBeforeContract", plan.reversibleBeforeContract());
                g.writeStringField("gate", GATE);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void summary(Summary s, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeStringField("classification", s.verdict().id());
        g.writeNumberField("migrations", s.migrations());
        g.writeNumberField("statements", s.statements());
        g.writeNumberField("findings", s.findings());
        g.writeNumberField("suppressed", s.suppressed());
        g.writeObjectFieldStart("statementsByClass");
        for (StatementClass c : StatementClass.values()) g.writeNumberField(c.id(), s.statementsByClass().get(c));
        g.writeEndObject();
        g.writeObjectFieldStart("migrationsByClass");
        for (StatementClass c : StatementClass.values()) g.writeNumberField(c.id(), s.migrationsByClass().get(c));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void migration(MigrationResult m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("version", m.migration().version());
        g.writeStringField("description", m.migration().description());
        g.writeStringField("script", m.migration().script());
        g.writeStringField("classification", m.statementClass().id());
        g.writeArrayFieldStart("statements");
        for (StatementResult s : m.statements()) {
            statement(s, g);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void statement(StatementResult s, JsonGenerator g) throws IOException {
        Classification c = s.classification();
        g.writeStartObject();
        g.writeNumberField("line", s.statement().line());
        g.writeStringField("sql", s.statement().sql());
        g.writeStringField("classification", c.statementClass().id());
        locks(c.locks(), g);
        strings("rewrites", c.rewrites(), g);
        strings("scans", c.scans(), g);
        g.writeArrayFieldStart("findings");
        for (Finding f : c.findings()) {
            g.writeStartObject();
            g.writeStringField("rule", f.rule());
            g.writeStringField("severity", f.severity().id());
            g.writeStringField("message", f.message());
            g.writeStringField("fix", f.fix());
            g.writeEndObject();
        }
        g.writeEndArray();
        strings("suppressed", c.suppressed(), g);
        // traced (migrate plan --trace-url): locks, rewrites and scans above are PostgreSQL's own
        g.writeBooleanField("traced", s.traced());
        if (s.traced()) {
            g.writeObjectFieldStart("trace");
            g.writeStringField("how", s.trace().how());
            strings("commands", s.trace().commands(), g);
            g.writeStringField("error", s.trace().error());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void locks(List<TableLock> locks, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("locks");
        for (TableLock l : locks) {
            g.writeStartObject();
            g.writeStringField("table", l.table());
            g.writeStringField("mode", l.mode().pgName());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void phase(PhasePlan p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("phase", p.phase().id());
        g.writeArrayFieldStart("steps");
        for (Step step : p.steps()) {
            switch (step) {
                case SqlStep s -> sqlStep(s, g);
                case BackfillStep b -> backfillStep(b, g);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void sqlStep(SqlStep s, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "sql");
        g.writeStringField("migration", s.migration());
        g.writeNumberField("line", s.line());
        g.writeStringField("purpose", s.purpose());
        g.writeStringField("sql", s.sql());
        g.writeBooleanField("transactional", s.transactional());
        locks(s.locks(), g);
        g.writeStringField("onlyIf", s.onlyIf());
        if (s.cleanup() == null) {
            g.writeNullField("cleanup");
        } else {
            g.writeObjectFieldStart("cleanup");
            g.writeStringField("when", s.cleanup().when());
            g.writeStringField("sql", s.cleanup().sql());
            g.writeEndObject();
        }
        g.writeStringField("rollback", s.rollback());
        g.writeStringField("irreversible", s.irreversible());
        g.writeBooleanField("destructive", s.destructive());
        g.writeEndObject();
    }

    private static void backfillStep(BackfillStep b, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "backfill");
        g.writeStringField("migration", b.migration());
        g.writeNumberField("line", b.line());
        g.writeStringField("purpose", b.purpose());
        g.writeStringField("table", b.table());
        strings("key", b.key(), g);
        g.writeStringField("operation", b.operation().id());
        g.writeStringField("set", b.set());
        g.writeStringField("where", b.where());
        g.writeStringField("irreversible", b.irreversible());
        g.writeEndObject();
    }

    private static void unplanned(Unplanned u, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("migration", u.migration());
        g.writeNumberField("line", u.line());
        g.writeStringField("sql", u.sql());
        g.writeStringField("reason", u.reason().id());
        g.writeStringField("message", u.message());
        g.writeStringField("instead", u.instead());
        g.writeEndObject();
    }

    private static void strings(String field, List<String> values, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
