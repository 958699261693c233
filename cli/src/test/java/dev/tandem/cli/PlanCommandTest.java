package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.classify.Rule;
import dev.tandem.classify.rules.RuleRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code migrate} end to end, in process: the real sources, classifier, rules and renderers on the
 * example histories, with stdout, stderr and the exit code captured.
 */
class PlanCommandTest {
    private static final String SHOP = "../migrations-examples/flyway-shop";
    private static final String BILLING = "../migrations-examples/liquibase-billing/changelog.xml";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    static Run migrate(Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err), terminal);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run migrate(String... args) {
        return migrate(Terminal.NONE, args);
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    // ------------------------------------------------------------------ Flyway example

    @Test
    void flywayShopAsText() {
        Run r = migrate("plan", SHOP);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(1); // V20 is a CLUSTER: blocking
        assertThat(r.out()).doesNotContain("\u001b");
        assertThat(r.out().lines()).contains(
                "14  V14__rename_customer_name.sql  expand-contract",
                "20  V20__maintenance_cluster_orders_blocking.sql  blocking");
        assertThat(r.out()).contains("  " + SHOP + "/V14__rename_customer_name.sql:2  expand-contract  "
                + "ALTER TABLE customers RENAME COLUMN name TO full_name");
        assertThat(r.out()).contains("  " + SHOP + "/V20__maintenance_cluster_orders_blocking.sql:4  blocking         CLUSTER");
        assertThat(r.out()).contains("lock     public.customers AccessExclusiveLock");
        assertThat(r.out()).contains("fix: ");
        assertThat(r.out().lines()).contains(
                "======== DEPLOY the new application version here; contract runs after the old version is gone ========");
        assertThat(r.out().lines().filter(l -> l.startsWith("Summary: ")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).contains(" compatible, ").contains(" online-rewrite, ").contains(" expand-contract, ")
                        .contains(" review, ").contains(" blocking").endsWith("Verdict: blocking"));
    }

    @Test
    void flywayShopAsJson() throws Exception {
        Run r = migrate("plan", SHOP, "--format", "json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(1);
        JsonNode root = MAPPER.readTree(r.out());
        assertThat(root.get("postgresVersion").asText()).isEqualTo("16");
        assertThat(root.get("phases").findValuesAsText("phase")).containsExactly("expand", "backfill", "contract");
        assertThat(root.get("phases").get(0).get("steps")).isNotEmpty();
        // V20's CLUSTER has no online form: not planned, so the release cannot run as a whole.
        assertThat(root.get("unplanned").findValuesAsText("sql")).contains("CLUSTER orders USING orders_placed_at_idx");
        assertThat(root.get("release").get("executable").asBoolean()).isFalse();
        assertThat(root.get("summary").get("classification").asText()).isEqualTo("blocking");

        JsonNode v14 = migration(root, "V14__rename_customer_name.sql");
        assertThat(v14.get("version").asText()).isEqualTo("14");
        assertThat(v14.get("description").asText()).isEqualTo("rename customer name");
        assertThat(v14.get("classification").asText()).isEqualTo("expand-contract");
        JsonNode rename = v14.get("statements").get(0);
        assertThat(rename.get("line").asInt()).isEqualTo(2);
        assertThat(rename.get("sql").asText()).isEqualTo("ALTER TABLE customers RENAME COLUMN name TO full_name");
        assertThat(rename.get("locks").get(0).get("table").asText()).isEqualTo("public.customers");
        assertThat(rename.get("locks").get(0).get("mode").asText()).isEqualTo("AccessExclusiveLock");
        assertThat(rename.get("findings")).isNotEmpty();
        JsonNode finding = rename.get("findings").get(0);
        assertThat(finding.get("rule").asText()).isNotBlank();
        assertThat(finding.get("message").asText()).isNotBlank();
        assertThat(finding.get("fix").asText()).isNotBlank();

        assertThat(migration(root, "V20__maintenance_cluster_orders_blocking.sql").get("classification").asText())
                .isEqualTo("blocking");
        assertThat(migration(root, "V1__create_customers.sql").get("classification").asText()).isEqualTo("compatible");

        // Every statement of every migration carries every field of the contract.
        for (JsonNode m : root.get("migrations")) {
            assertThat(m.has("version") && m.has("description") && m.has("script") && m.has("classification")).isTrue();
            for (JsonNode s : m.get("statements")) {
                for (String field : List.of("line", "sql", "classification", "locks", "rewrites", "scans", "findings")) {
                    assertThat(s.has(field)).as("%s in %s", field, m.get("script")).isTrue();
                }
            }
        }
    }

    @Test
    void flywayShopAsMarkdown() {
        Run r = migrate("plan", SHOP, "--format", "markdown");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("## ⛔ Tandem migration plan: blocking")
                .contains("| `20` | `V20__maintenance_cluster_orders_blocking.sql` | ⛔ blocking |")
                .contains("```sql\nCLUSTER orders USING orders_placed_at_idx\n```")
                .contains("<details><summary>✅ ");
    }

    @Test
    void flywayShopAsSarif() throws Exception {
        Run r = migrate("plan", SHOP, "--format", "sarif");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode root = MAPPER.readTree(r.out());
        assertThat(root.get("version").asText()).isEqualTo("2.1.0");
        assertThat(root.get("$schema").asText()).contains("sarif-2.1.0");
        JsonNode run = root.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("name").asText()).isEqualTo("tandem");
        List<String> ruleIds = new ArrayList<>();
        run.get("tool").get("driver").get("rules").forEach(n -> ruleIds.add(n.get("id").asText()));
        assertThat(ruleIds).containsAll(RuleRegistry.all().stream().map(Rule::id).toList());

        JsonNode cluster = null;
        for (JsonNode result : run.get("results")) {
            JsonNode loc = result.get("locations").get(0).get("physicalLocation");
            if (loc.get("artifactLocation").get("uri").asText().equals(SHOP + "/V20__maintenance_cluster_orders_blocking.sql")) {
                cluster = result;
            }
            assertThat(ruleIds).contains(result.get("ruleId").asText());
            assertThat(result.get("level").asText()).isIn("error", "warning", "note");
            assertThat(loc.get("region").get("startLine").asInt()).isPositive();
        }
        assertThat(cluster).isNotNull();
        assertThat(cluster.get("level").asText()).isEqualTo("error");
        assertThat(cluster.get("locations").get(0).get("physicalLocation").get("region").get("startLine").asInt()).isEqualTo(4);
    }

    @Test
    void flywayShopForAnotherPostgresVersion() throws Exception {
        Run r = migrate("plan", SHOP, "--format", "json", "--pg-version", "12");
        assertThat(MAPPER.readTree(r.out()).get("postgresVersion").asText()).isEqualTo("12");
    }

    private static JsonNode migration(JsonNode root, String script) {
        for (JsonNode m : root.get("migrations")) {
            if (m.get("script").asText().equals(script)) return m;
        }
        throw new AssertionError("no migration " + script);
    }

    // ------------------------------------------------------------------ Liquibase example

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "markdown", "sarif"})
    void liquibaseBillingInEveryFormat(String format) {
        Run r = migrate("plan", "--changelog", BILLING, "--format", format);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(1); // SET LOGGED and VACUUM FULL are blocking
        // SARIF has no SQL, only locations; the others show the blocking statement.
        assertThat(r.out()).contains(format.equals("sarif") ? "changelogs/004-maintenance.sql" : "VACUUM FULL invoices");
    }

    @Test
    void liquibaseBillingAsJson() throws Exception {
        Run r = migrate("plan", "--changelog", BILLING, "--format", "json");
        JsonNode root = MAPPER.readTree(r.out());
        assertThat(root.get("summary").get("classification").asText()).isEqualTo("blocking");
        JsonNode vacuum = null;
        for (JsonNode m : root.get("migrations")) {
            for (JsonNode s : m.get("statements")) {
                if (s.get("sql").asText().startsWith("VACUUM FULL invoices")) vacuum = s;
            }
        }
        assertThat(vacuum).isNotNull();
        assertThat(vacuum.get("classification").asText()).isEqualTo("blocking");
    }

    @Test
    void changelogAsPositionalInputIsLiquibase() throws Exception {
        Run positional = migrate("plan", BILLING, "--format", "json");
        Run option = migrate("plan", "--changelog", BILLING, "--format", "json");
        assertThat(positional.exit()).isEqualTo(option.exit());
        assertThat(MAPPER.readTree(positional.out())).isEqualTo(MAPPER.readTree(option.out()));
    }

    // ------------------------------------------------------------------ exit codes

    @Test
    void compatibleHistoryExitsZero() throws IOException {
        write("db/V1__create_things.sql", "CREATE TABLE things (id bigint PRIMARY KEY, name text);\n");
        Run r = migrate("plan", tmp.resolve("db").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Verdict: compatible");
    }

    @Test
    void failOnTightensTheCheck() throws IOException {
        write("db/V1__create_things.sql", "CREATE TABLE things (id bigint PRIMARY KEY, name text);\n");
        write("db/V2__index_things.sql", "CREATE INDEX things_name_idx ON things (name);\n");
        String dir = tmp.resolve("db").toString();

        Run plain = migrate("plan", dir);
        assertThat(plain.out()).contains("Verdict: online-rewrite");
        assertThat(plain.exit()).isZero();
        assertThat(migrate("plan", dir, "--fail-on", "online-rewrite").exit()).isEqualTo(1);
        assertThat(migrate("plan", dir, "--fail-on", "compatible").exit()).isEqualTo(1);
        assertThat(migrate("plan", dir, "--fail-on", "expand-contract").exit()).isZero();
        assertThat(migrate("plan", dir, "--fail-on", "blocking").exit()).isZero();
    }

    @Test
    void aStatementTheReleasePlanCannotCarryOutExitsOne() throws IOException {
        write("db/V1__create_things.sql", "CREATE TABLE things (id bigint PRIMARY KEY, name text, qty int);\n");
        write("db/V2__constrain_things.sql", "ALTER TABLE things ADD CHECK (qty > 0), ADD UNIQUE (name);\n");
        Run r = migrate("plan", tmp.resolve("db").toString());

        assertThat(r.out()).contains("Verdict: online-rewrite", "Not planned", "one ALTER TABLE per action");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void exitCodeRule() {
        var c = dev.tandem.classify.StatementClass.values();
        assertThat(PlanCommand.exitCode(c[0], null, true)).isZero();
        assertThat(PlanCommand.exitCode(c[1], null, true)).isZero();
        assertThat(PlanCommand.exitCode(c[2], null, true)).isZero();
        assertThat(PlanCommand.exitCode(c[3], null, true)).isEqualTo(1);
        assertThat(PlanCommand.exitCode(c[4], null, true)).isEqualTo(1);
        assertThat(PlanCommand.exitCode(c[2], c[2], true)).isEqualTo(1);
        assertThat(PlanCommand.exitCode(c[1], c[2], true)).isZero();
        assertThat(PlanCommand.exitCode(c[3], c[4], true)).isEqualTo(1); // review always fails
        // an expand-contract statement without a recipe: the release cannot run as planned
        assertThat(PlanCommand.exitCode(c[2], null, false)).isEqualTo(1);
    }

    @Test
    void missingDirectoryIsBadInput() {
        Run r = migrate("plan", "no-such-dir");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("migrate: ").contains("no-such-dir");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unparseableSqlIsBadInputNamingFileAndLine() throws IOException {
        Path bad = write("bad.sql", "CREATE TABLE ok (id int);\n\nALTER TABLE FROM WHERE;\n");
        Run r = migrate("plan", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("migrate: ").contains("bad.sql:3");
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unsupportedPostgresVersionIsBadInput() {
        Run r = migrate("plan", SHOP, "--pg-version", "11");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("migrate: ").contains("11").contains("--pg-version").contains("12").contains("18");
        assertThat(r.err()).contains("Try 'migrate plan --help'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownOptionsAndValuesAreUsageErrors() {
        Run unknown = migrate("plan", SHOP, "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("migrate: Unknown option: '--frobnicate'")
                .contains("Try 'migrate plan --help' for more information.");

        Run format = migrate("plan", SHOP, "--format", "yaml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("yaml").contains("text, json, markdown, sarif");

        Run failOn = migrate("plan", SHOP, "--fail-on", "scary");
        assertThat(failOn.exit()).isEqualTo(2);
        assertThat(failOn.err()).contains("scary");

        Run nothing = migrate("plan");
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).startsWith("migrate: nothing to plan");

        Run both = migrate("plan", SHOP, "--changelog", BILLING);
        assertThat(both.exit()).isEqualTo(2);

        Run noCommand = migrate();
        assertThat(noCommand.exit()).isEqualTo(2);
        assertThat(noCommand.err()).contains("a command is required");
    }

    // ------------------------------------------------------------------ options

    @Test
    void outputGoesToTheFile() throws IOException {
        Path file = tmp.resolve("plan.json");
        Run r = migrate("plan", SHOP, "--format", "json", "--output", file.toString());
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(MAPPER.readTree(file.toFile()).get("migrations")).isNotEmpty();
    }

    @Test
    void placeholdersAreReplaced() throws Exception {
        write("db/V1__create.sql", "CREATE TABLE ${table_name} (id bigint);\n");
        Run r = migrate("plan", tmp.resolve("db").toString(), "--format", "json", "--placeholder", "table_name=widgets");
        assertThat(r.exit()).isZero();
        JsonNode s = MAPPER.readTree(r.out()).get("migrations").get(0).get("statements").get(0);
        assertThat(s.get("sql").asText()).isEqualTo("CREATE TABLE widgets (id bigint)");
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColor() {
        assertThat(migrate(new Terminal(true, false), "plan", SHOP).out()).contains("\u001b[");
        assertThat(migrate(new Terminal(true, true), "plan", SHOP).out()).doesNotContain("\u001b");
        assertThat(migrate(new Terminal(false, false), "plan", SHOP).out()).doesNotContain("\u001b");
        assertThat(migrate(Terminal.NONE, "plan", SHOP, "--color", "always").out()).contains("\u001b[");
        assertThat(migrate(new Terminal(true, false), "plan", SHOP, "--color=never").out()).doesNotContain("\u001b");
        // JSON is never coloured.
        assertThat(migrate(new Terminal(true, false), "plan", SHOP, "--format", "json").out()).doesNotContain("\u001b");
    }

    @Test
    void helpDocumentsExitCodes() {
        Run r = migrate("plan", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("--fail-on").contains("--pg-version").contains("--url");
        assertThat(r.out().lines().map(String::strip)).anyMatch(l -> l.startsWith("4"));
        assertThat(migrate("--help").out()).contains("plan").contains("rules");
    }

    @Test
    void versionNamesTandem() {
        Run r = migrate("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("migrate (Tandem) ");
    }

    @Test
    void rulesListsEveryRule() throws Exception {
        Run text = migrate("rules");
        assertThat(text.exit()).isZero();
        for (Rule rule : RuleRegistry.all()) {
            assertThat(text.out()).contains(rule.id());
        }
        Run json = migrate("rules", "--format", "json");
        assertThat(json.exit()).isZero();
        JsonNode rules = MAPPER.readTree(json.out()).get("rules");
        assertThat(rules).hasSize(RuleRegistry.all().size());
        assertThat(rules.get(0).get("summary").asText()).isEqualTo(RuleRegistry.all().get(0).summary());
    }
}
