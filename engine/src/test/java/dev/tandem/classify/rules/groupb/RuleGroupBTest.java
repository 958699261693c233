package dev.tandem.classify.rules.groupb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.classify.Finding;
import dev.tandem.classify.Rule;
import dev.tandem.classify.StatementClass;
import dev.tandem.classify.StatementResult;
import dev.tandem.classify.rules.RuleGroupA;
import dev.tandem.classify.rules.RuleGroupB;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The group B rule set as a whole, and what its fixtures cannot express. */
class RuleGroupBTest {

    @Test
    void idsAreStableKebabCaseUniqueAcrossBothGroupsAndEveryRuleHasASummary() {
        List<Rule> rules = RuleGroupB.rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(28);
        Set<String> ids = new HashSet<>();
        for (Rule r : rules) {
            assertThat(r.id()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(ids.add(r.id())).as("duplicate id %s", r.id()).isTrue();
            assertThat(r.summary()).isNotBlank().doesNotContain("\n");
            assertThat(r.getClass().getSimpleName()).endsWith("Rule");
        }
        for (Rule a : RuleGroupA.rules()) {
            assertThat(ids).as("id %s is used by both groups", a.id()).doesNotContain(a.id());
        }
    }

    /**
     * Every finding of a group B rule in the group B fixtures says something concrete: a message and
     * a separate fix, both whole sentences, never a {@code null} spliced into the text.
     */
    @Test
    void everyGroupBFindingInTheFixturesHasAConcreteMessageAndFix() throws IOException {
        Set<String> groupB = new HashSet<>();
        RuleGroupB.rules().forEach(r -> groupB.add(r.id()));
        Set<String> fired = new HashSet<>();
        for (String id : groupB) {
            for (Case c : Case.load(id)) {
                for (int version : c.versions()) {
                    Scenario s = new Scenario(c.given(), c.when(), c.transactional(), new dev.tandem.classify.PgVersion(version));
                    for (StatementResult r : s.run()) {
                        for (Finding f : r.classification().findings()) {
                            if (!groupB.contains(f.rule())) continue;
                            fired.add(f.rule());
                            String where = id + ".sql › " + c.name() + " › pg" + version + " › " + f.rule();
                            assertThat(f.message()).as(where).isNotBlank().doesNotContain("null").isNotEqualTo(f.fix());
                            assertThat(f.fix()).as(where).isNotBlank().doesNotContain("null");
                            assertThat(f.message().strip()).as(where).matches("(?s).*[.)\"]$");
                        }
                    }
                }
            }
        }
        assertThat(fired).as("group B rules that fire somewhere in their fixtures").isEqualTo(groupB);
    }

    @Test
    void lockTableOutsideATransactionBlockFails() {
        // Not a fixture: PostgreSQL rejects it ("LOCK TABLE can only be used in transaction blocks").
        List<Finding> weak = Scenario.when("LOCK TABLE accounts IN ROW SHARE MODE;")
                .given("CREATE TABLE accounts (id bigint PRIMARY KEY);").nonTransactional().lastFindings();
        assertThat(weak).extracting(Finding::rule, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("lock-table", StatementClass.REVIEW));
        assertThat(weak.get(0).message()).contains("can only be used in transaction blocks");

        List<Finding> strong = Scenario.when("LOCK TABLE accounts;")
                .given("CREATE TABLE accounts (id bigint PRIMARY KEY);").nonTransactional().lastFindings();
        assertThat(strong).extracting(Finding::severity).containsExactly(StatementClass.BLOCKING);
        assertThat(strong.get(0).message()).contains("public.accounts", "AccessExclusiveLock",
                "can only be used in transaction blocks");
    }

    @Test
    void messagesNameTheTableTheLockAndWhatTrafficWaitsFor() {
        Finding f = Scenario.when("CREATE INDEX orders_customer_idx ON orders (customer_id);")
                .given("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);").lastFindings().get(0);
        assertThat(f.message()).contains("public.orders", "ShareLock", "INSERT, UPDATE and DELETE");
        assertThat(f.fix()).contains("CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);");

        Finding d = Scenario.when("DROP INDEX orders_customer_idx;")
                .given("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);"
                        + " CREATE INDEX orders_customer_idx ON orders (customer_id);").lastFindings().get(0);
        assertThat(d.message()).contains("public.orders", "AccessExclusiveLock");
        assertThat(d.fix()).contains("DROP INDEX CONCURRENTLY orders_customer_idx;");
    }

    @Test
    void detachPartitionNamesTheVersionThatBroughtConcurrently() {
        String given = "CREATE TABLE m (id bigint, d date NOT NULL) PARTITION BY RANGE (d);"
                + " CREATE TABLE m2023 PARTITION OF m FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');";
        Finding on13 = Scenario.when("ALTER TABLE m DETACH PARTITION m2023;").given(given).on(13).lastFindings().get(0);
        assertThat(on13.severity()).isEqualTo(StatementClass.COMPATIBLE);
        assertThat(on13.message()).contains("PostgreSQL 13", "14");
        Finding on14 = Scenario.when("ALTER TABLE m DETACH PARTITION m2023;").given(given).on(14).lastFindings().get(0);
        assertThat(on14.severity()).isEqualTo(StatementClass.ONLINE_REWRITE);
        assertThat(on14.fix()).contains("ALTER TABLE m DETACH PARTITION m2023 CONCURRENTLY;", "FINALIZE");
    }

    @Test
    void attachPartitionRecipeStatesTheBoundAsACheck() {
        Finding f = Scenario.when("ALTER TABLE m ATTACH PARTITION m2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")
                .given("CREATE TABLE m (id bigint, d date NOT NULL) PARTITION BY RANGE (d);"
                        + " CREATE TABLE m2024 (id bigint, d date NOT NULL);")
                .lastFindings().get(0);
        assertThat(f.fix()).contains("CHECK (<key> IS NOT NULL AND <key> >= '2024-01-01' AND <key> < '2025-01-01') NOT VALID",
                "VALIDATE CONSTRAINT m2024_bound");
    }

    @Test
    void attachPartitionSaysItBuildsTheParentsIndexesTheTableLacks() {
        Finding f = Scenario.when("ALTER TABLE m ATTACH PARTITION m2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")
                .given("CREATE TABLE m (id bigint, d date NOT NULL) PARTITION BY RANGE (d);"
                        + " CREATE INDEX m_d_idx ON m (d);"
                        + " CREATE TABLE m2024 (id bigint, d date NOT NULL);")
                .lastFindings().get(0);
        assertThat(f.message()).contains("It also builds the index public.m_d_idx of public.m on public.m2024");
        assertThat(f.fix()).contains("CREATE INDEX CONCURRENTLY ON m2024 (d);");
    }

    @Test
    void partitionedIndexRecipeNamesEachPartitionAndReadsAsSql() {
        Finding f = Scenario.when("CREATE INDEX m_d_idx ON m (d);")
                .given("CREATE TABLE m (id bigint, d date NOT NULL) PARTITION BY RANGE (d);"
                        + " CREATE TABLE m2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")
                .lastFindings().get(0);
        // Run on PostgreSQL 15 as written: the parent index is valid afterwards.
        assertThat(f.fix()).contains("CREATE INDEX m_d_idx ON ONLY m (d);",
                "CREATE INDEX CONCURRENTLY m2024_d_idx ON m2024 (d); ALTER INDEX m_d_idx ATTACH PARTITION m2024_d_idx;"
                        + " The parent index becomes valid");
    }

    @Test
    void truncateCascadeListsTheTablesItAlsoEmpties() {
        Finding f = Scenario.when("TRUNCATE customers CASCADE;")
                .given("CREATE TABLE customers (id bigint PRIMARY KEY);"
                        + " CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));"
                        + " CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));")
                .lastFindings().stream().filter(x -> x.rule().equals("truncate-cascade")).findFirst().orElseThrow();
        assertThat(f.message()).contains("public.orders", "public.lines");
        assertThat(f.fix()).contains("TRUNCATE public.customers, public.orders, public.lines;");
    }

    @Test
    void biggerKeyFixKeepsTheIdentityKindTheTableDeclared() {
        Finding byDefault = Scenario.when(
                "CREATE TABLE invoices (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, total bigint);")
                .lastFindings().get(0);
        assertThat(byDefault.fix()).contains("id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY.")
                .doesNotContain("ALWAYS");
        Finding always = Scenario.when("CREATE TABLE invoices (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);")
                .lastFindings().get(0);
        assertThat(always.fix()).contains("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY.");
        // serial accepts explicit ids, as BY DEFAULT does
        Finding serial = Scenario.when("CREATE TABLE tags (id serial PRIMARY KEY);").lastFindings().get(0);
        assertThat(serial.fix()).contains("id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY.");
    }

    @Test
    void enumAddValueAsksForIfNotExistsOnlyWhenItIsMissing() {
        String given = "CREATE TYPE order_status AS ENUM ('pending', 'paid');";
        Finding without = Scenario.when("ALTER TYPE order_status ADD VALUE 'refunded';").given(given).lastFindings().get(0);
        assertThat(without.fix()).contains("ADD VALUE IF NOT EXISTS 'refunded'");
        Finding with = Scenario.when("ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';").given(given)
                .lastFindings().get(0);
        assertThat(with.fix()).doesNotContain("IF NOT EXISTS").contains("Commit before using the value.");
    }

    /** A fixture case, read just far enough to classify it again here. */
    record Case(String name, List<Integer> versions, boolean transactional, String given, String when) {
        private static final Pattern HEADER = Pattern.compile("^--\\s*(case|pg|transactional|given|when|expect):(.*)$");

        static List<Case> load(String ruleId) throws IOException {
            Path file = directory().resolve(ruleId + ".sql");
            assertThat(file).as("fixture file for %s", ruleId).exists();
            List<Case> out = new ArrayList<>();
            String name = null;
            String pg = "12-18";
            boolean tx = true;
            StringBuilder given = new StringBuilder();
            StringBuilder when = new StringBuilder();
            String section = null;
            for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
                Matcher m = HEADER.matcher(line.strip());
                if (m.matches()) {
                    String k = m.group(1);
                    String v = m.group(2).strip();
                    switch (k) {
                        case "case" -> {
                            if (name != null) out.add(of(name, pg, tx, given, when));
                            name = v;
                            pg = "12-18";
                            tx = true;
                            given = new StringBuilder();
                            when = new StringBuilder();
                            section = null;
                        }
                        case "pg" -> pg = v;
                        case "transactional" -> tx = Boolean.parseBoolean(v);
                        case "given", "when" -> section = k;
                        default -> section = null;
                    }
                    continue;
                }
                if ("given".equals(section)) given.append(line).append('\n');
                if ("when".equals(section)) when.append(line).append('\n');
            }
            if (name != null) out.add(of(name, pg, tx, given, when));
            return out;
        }

        private static Case of(String name, String pg, boolean tx, StringBuilder given, StringBuilder when) {
            String[] range = pg.split("-");
            int lo = Integer.parseInt(range[0].strip());
            int hi = Integer.parseInt(range[range.length - 1].strip());
            List<Integer> versions = lo == hi ? List.of(lo) : List.of(lo, hi);
            return new Case(name, versions, tx, given.toString(), when.toString());
        }

        private static Path directory() {
            try {
                return Path.of(RuleGroupBTest.class.getClassLoader().getResource("fixtures").toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
