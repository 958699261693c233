package dev.tandem.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tandem.classify.ClassifiedSet;
import dev.tandem.classify.Finding;
import dev.tandem.classify.MigrationResult;
import dev.tandem.classify.Rule;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.plan.ReleasePlan;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0 for code-scanning uploads (GitHub, GitLab, Azure DevOps): one run whose
 * {@code tool.driver} is "tandem" and lists every rule, and one result per finding located at the
 * statement's first line in its script.
 *
 * <p>Levels: blocking and review findings are {@code error} (Tandem refuses them or cannot judge
 * them), expand-contract and online-rewrite findings are {@code warning} (Tandem carries them out,
 * but differently from how they are written), compatible findings are advice, {@code note}.
 * Suppressed findings are not results. Artifact URIs are relative paths with forward slashes, as
 * the {@link ScriptLocator} gives them; code-scanning services resolve them against the
 * repository root, so the CLI passes locations relative to the working directory.
 */
public final class SarifRenderer implements ReportRenderer {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final String toolVersion;
    private final List<Rule> rules;
    private final ScriptLocator locator;

    /**
     * @param toolVersion Tandem's version, or {@code null} when unknown (then omitted)
     * @param rules       every rule Tandem applies, listed in {@code tool.driver.rules}
     */
    public SarifRenderer(String toolVersion, List<Rule> rules, ScriptLocator locator) {
        this.toolVersion = toolVersion;
        this.rules = List.copyOf(rules);
        this.locator = locator;
    }

    /** The release plan is not part of the SARIF report: its findings are the statements' own. */
    @Override
    public void render(ClassifiedSet set, ReleasePlan plan, Writer out) throws IOException {
        // Findings may come from rule ids the registry does not list (the classifier's own, e.g. for
        // statements it cannot parse); each still gets a rule entry so that every ruleIndex resolves.
        Map<String, String> ruleSummaries = new LinkedHashMap<>();
        for (Rule r : rules) ruleSummaries.putIfAbsent(r.id(), r.summary());
        for (MigrationResult m : set.migrations()) {
            for (StatementResult s : m.statements()) {
                for (Finding f : s.classification().findings()) {
                    ruleSummaries.putIfAbsent(f.rule(), f.rule());
                }
            }
        }
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        for (String id : ruleSummaries.keySet()) ruleIndex.put(id, ruleIndex.size());

        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();

            g.writeObjectFieldStart("tool");
            g.writeObjectFieldStart("driver");
            g.writeStringField("name", "tandem");
            if (toolVersion != null) g.writeStringField("version", toolVersion);
            g.writeArrayFieldStart("rules");
            for (Map.Entry<String, String> r : ruleSummaries.entrySet()) {
                g.writeStartObject();
                g.writeStringField("id", r.getKey());
                g.writeObjectFieldStart("shortDescription");
                g.writeStringField("text", r.getValue());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();

            g.writeArrayFieldStart("results");
            for (MigrationResult m : set.migrations()) {
                String uri = locator.locate(m.migration());
                for (StatementResult s : m.statements()) {
                    for (Finding f : s.classification().findings()) {
                        result(f, ruleIndex.get(f.rule()), uri, s, g);
                    }
                }
            }
            g.writeEndArray();

            g.writeObjectFieldStart("properties");
            g.writeStringField("postgresVersion", set.postgresVersion().toString());
            g.writeStringField("classification", set.worst().id());
            g.writeEndObject();

            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void result(Finding f, int index, String uri, StatementResult s, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.rule());
        g.writeNumberField("ruleIndex", index);
        g.writeStringField("level", level(f.severity()));
        g.writeObjectFieldStart("message");
        g.writeStringField("text", f.message().strip() + " Fix: " + f.fix().strip());
        g.writeEndObject();
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        g.writeObjectFieldStart("physicalLocation");
        g.writeObjectFieldStart("artifactLocation");
        g.writeStringField("uri", uri);
        g.writeEndObject();
        g.writeObjectFieldStart("region");
        g.writeNumberField("startLine", Math.max(1, s.statement().line()));
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("properties");
        g.writeStringField("classification", f.severity().id());
        g.writeStringField("statementClassification", s.classification().statementClass().id());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** SARIF level of a finding of the given class. */
    static String level(StatementClass severity) {
        return switch (severity) {
            case BLOCKING, REVIEW -> "error";
            case EXPAND_CONTRACT, ONLINE_REWRITE -> "warning";
            case COMPATIBLE -> "note";
        };
    }
}
