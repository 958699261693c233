package dev.tandem.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tandem.classify.Rule;
import dev.tandem.classify.rules.RuleRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/** {@code migrate rules}: every rule id with its one-line summary. */
final class RulesCommand implements Callable<Integer> {
    private final CommandSpec spec;

    private RulesCommand() {
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("rules");
        spec.usageMessage().sortOptions(false).description("Lists every rule: its id (used in findings and in "
                + "'-- migrate:ignore <id>' comments) and what it checks.");
        spec.addOption(OptionSpec.builder("--format").paramLabel("FORMAT").type(String.class).defaultValue("text")
                .converters(value -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!v.equals("text") && !v.equals("json") && !v.equals("markdown")) {
                        throw new TypeConversionException("'" + value + "' is not one of text, json, markdown");
                    }
                    return v;
                })
                .description("text (default), json, or markdown (the rule reference docs/rules.md is this output)."
                ).build());
        spec.addOption(MigrateCommand.debugOption());
        spec.addOption(MigrateCommand.helpOption());
    }

    static CommandSpec spec() {
        return new RulesCommand().spec;
    }

    @Override
    public Integer call() throws IOException {
        List<Rule> rules = RuleRegistry.all();
        PrintWriter out = spec.commandLine().getOut();
        String format = spec.findOption("--format").getValue();
        if ("markdown".equals(format)) {
            out.print(markdown(rules));
        } else if ("json".equals(format)) {
            JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
            try (JsonGenerator g = factory.createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeArrayFieldStart("rules");
                for (Rule r : rules) {
                    g.writeStartObject();
                    g.writeStringField("id", r.id());
                    g.writeStringField("summary", r.summary());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            out.println();
        } else {
            int width = rules.stream().mapToInt(r -> r.id().length()).max().orElse(0);
            for (Rule r : rules) {
                out.println(r.id() + " ".repeat(width - r.id().length() + 2) + r.summary());
            }
            out.println();
            out.println(rules.size() + " rules. Suppress one for a statement with a '-- migrate:ignore <id>' comment "
                    + "right before it, or for a whole file with '-- migrate:ignore-file <id>'.");
        }
        out.flush();
        return MigrateCommand.EXIT_OK;
    }

    /** The rule reference as committed in docs/rules.md (RuleDocsTest keeps the two equal). */
    static String markdown(List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                # Rules

                Every rule Tandem applies, in the order findings are listed (`migrate rules` prints the same list;
                this file is `migrate rules --format markdown`). Each has a stable kebab-case id, used in findings,
                SARIF results and suppressions (`-- migrate:ignore <id>` before a statement,
                `-- migrate:ignore-file <id>` for a whole file). The class a finding gives depends on the
                statement, the schema it meets and the PostgreSQL version; the cases each rule distinguishes are in
                its fixture file, `engine/src/test/resources/fixtures/<id>.sql`, which the test suite runs on the
                lowest and highest version each case claims (and on 16).

                | id | what it finds |
                |---|---|
                """);
        for (Rule r : rules) {
            sb.append("| `").append(r.id()).append("` | ").append(r.summary().replace("|", "\\|")).append(" |\n");
        }
        sb.append('\n').append(rules.size()).append(" rules.\n");
        return sb.toString();
    }
}
