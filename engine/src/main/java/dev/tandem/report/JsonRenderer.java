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
 *           "findings": [ {"rule", "severity", "message", "fix"} ], "suppressed": [rule] } ] } ],
 *   "phases": [] }
 * </pre>
 *
 * {@code summary}, {@code severity} and {@code suppressed} are additions to the contract; lock
 * modes are {@code pg_locks} names ({@code AccessExclusiveLock}); {@code version} is {@code null}
 * for a repeatable migration. {@code phases} stays an empty array until the planner exists, so that
 * consumers can rely on the key.
 *
 * <p>Written with Jackson's streaming generator rather than data binding: no reflection, no
 * ObjectMapper start-up, constant memory for large histories.
 */
public final class JsonRenderer implements ReportRenderer {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    @Override
    public void render(ClassifiedSet set, Writer out) throws IOException {
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
            // The planner (expand / backfill / contract phases) is a later piece of work.
            g.writeArrayFieldStart("phases");
            g.writeEndArray();
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
        g.writeArrayFieldStart("locks");
        for (TableLock l : c.locks()) {
            g.writeStartObject();
            g.writeStringField("table", l.table());
            g.writeStringField("mode", l.mode().pgName());
            g.writeEndObject();
        }
        g.writeEndArray();
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
        g.writeEndObject();
    }

    private static void strings(String field, List<String> values, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
