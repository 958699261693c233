package dev.tandem.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.SchemaModel;
import dev.tandem.classify.rules.RuleRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session a migration runs in decides some verdicts: timestamp ↔ timestamptz is catalog-only
 * in a UTC session. The classifier takes the session's settings where the caller knows them
 * (migrate apply: its own; plan --trace: the trace session's), and a migration's own SET wins.
 */
class SessionSettingsTest {
    private static final String GIVEN = "CREATE TABLE users (id bigint PRIMARY KEY, deleted_at timestamp);";
    private static final String CHANGE = "ALTER TABLE users ALTER COLUMN deleted_at TYPE timestamptz;";

    private static Classification last(Map<String, String> session, String when) {
        ClassifiedSet set = new Classifier(RuleRegistry.all(), new PgVersion(15), session).classify(List.of(
                RuleFixtureTest.migration("0", "given", GIVEN, true),
                RuleFixtureTest.migration("1", "when", when, true)), SchemaModel.offline());
        List<StatementResult> statements = set.migrations().get(1).statements();
        return statements.get(statements.size() - 1).classification();
    }

    @Test
    void anUnknownSessionCountsAsARewrite() {
        Classification c = last(Map.of(), CHANGE);
        assertThat(c.statementClass()).isEqualTo(StatementClass.ONLINE_REWRITE);
        assertThat(c.rewrites()).containsExactly("public.users");
        assertThat(c.findings()).anySatisfy(f -> assertThat(f.message()).contains("(not set in this migration)"));
    }

    @Test
    void aUtcSessionIsCatalogOnly() {
        for (String zone : List.of("UTC", "Etc/UTC", "GMT")) {
            Classification c = last(Map.of("timezone", zone), CHANGE);
            assertThat(c.statementClass()).as(zone).isEqualTo(StatementClass.COMPATIBLE);
            assertThat(c.rewrites()).as(zone).isEmpty();
        }
    }

    @Test
    void anotherZoneRewritesAndSaysWhichZone() {
        Classification c = last(Map.of("timezone", "Europe/Berlin"), CHANGE);
        assertThat(c.rewrites()).containsExactly("public.users");
        assertThat(c.findings()).anySatisfy(f -> assertThat(f.message()).contains("(Europe/Berlin)"));
    }

    @Test
    void theMigrationsOwnSetWinsAndResetGoesBackToTheSessions() {
        assertThat(last(Map.of("timezone", "UTC"), "SET TIME ZONE 'Europe/Berlin';\n" + CHANGE).rewrites())
                .containsExactly("public.users");
        assertThat(last(Map.of("timezone", "Europe/Berlin"), "SET LOCAL timezone = 'UTC';\n" + CHANGE).rewrites()).isEmpty();
        assertThat(last(Map.of("timezone", "UTC"), "SET TIME ZONE 'Europe/Berlin';\nRESET timezone;\n" + CHANGE).rewrites())
                .isEmpty();
    }
}
