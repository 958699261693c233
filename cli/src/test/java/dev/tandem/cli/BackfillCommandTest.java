package dev.tandem.cli;

import static dev.tandem.cli.ApplyCommandTest.rows;
import static dev.tandem.cli.ApplyCommandTest.url;
import static dev.tandem.cli.PlanCommandTest.migrate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate backfill pause|resume|set|status} from "another terminal" while {@code migrate
 * apply} runs in this JVM, against a real PostgreSQL; and the run's metrics endpoint.
 */
class BackfillCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anOperatorPausesTunesAndResumesARunningBackfillAndPrometheusSeesItWait() throws Exception {
        Files.writeString(dir.resolve("V1__accounts.sql"), """
                CREATE TABLE accounts (id bigint PRIMARY KEY, balance int NOT NULL, cents bigint);
                INSERT INTO accounts SELECT i, i % 1000, NULL FROM generate_series(1, 20000) i;
                ANALYZE accounts;
                """);
        Files.writeString(dir.resolve("V2__cents.sql"), "UPDATE accounts SET cents = balance * 100;\n");
        try (TestDatabase db = PostgresHarness.get().newDatabase()) {
            Flyway.configure().locations("filesystem:" + dir).dataSource(db.jdbcUrl(), db.user(), db.password()).target("1")
                    .load().migrate();
            String url = url(db);

            PlanCommandTest.Run none = migrate("backfill", "pause", "--url", url);
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("no release is under way").contains("there is no backfill to pause");

            assertThat(migrate("apply", dir.toString(), "--url", url, "--phase", "expand").exit()).isZero();
            PlanCommandTest.Run paused = migrate("backfill", "pause", "--url", url);
            assertThat(paused.exit()).as(paused.err()).isZero();
            assertThat(paused.out()).isEqualTo("Paused the backfill of release 1. No migrate apply runs now: the next one takes it.\n");
            PlanCommandTest.Run set = migrate("backfill", "set", "batch-size=500", "max-lag=5s", "--url", url);
            assertThat(set.exit()).as(set.err()).isZero();
            assertThat(set.out()).contains("Settings of the backfill of release 1: batch-size=500 max-lag=5s.");
            PlanCommandTest.Run unset = migrate("backfill", "set", "max-lag=default", "--url", url);
            assertThat(unset.out()).contains("Settings of the backfill of release 1: batch-size=500.");
            PlanCommandTest.Run badLag = migrate("backfill", "set", "max-lag=soon", "--url", url);
            assertThat(badLag.exit()).isEqualTo(2);
            assertThat(badLag.err()).contains("max-lag").contains("'soon' is not a duration").contains("nothing was changed");
            PlanCommandTest.Run bad = migrate("backfill", "set", "speed=fast", "--url", url);
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("there is no backfill setting 'speed'").contains("nothing was changed");
            PlanCommandTest.Run twice = migrate("backfill", "set", "batch-size=5", "batch-size=7", "--url", url);
            assertThat(twice.exit()).isEqualTo(2);
            assertThat(twice.err()).contains("batch-size is given twice");

            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            CompletableFuture<PlanCommandTest.Run> run = CompletableFuture.supplyAsync(() ->
                    migrate("apply", dir.toString(), "--url", url, "--phase", "backfill", "--no-throttle", "--metrics-port",
                            Integer.toString(port)));
            // it waits: status says why, and so does the metrics endpoint
            JsonNode status = awaitStatus(url, s -> s.path("backfills").path(0).path("waitingFor").asText().startsWith("paused"));
            assertThat(status.path("paused").asBoolean()).isTrue();
            assertThat(status.path("settings").path("batch-size").asText()).isEqualTo("500");
            assertThat(status.path("backfills").path(0).path("rowsDone").asLong()).isZero();
            assertThat(status.path("backfills").path(0).path("rowsEstimate").asLong()).isEqualTo(20_000);
            assertThat(scrape(port)).contains("tandem_backfill_waiting{table=\"accounts\"} 1.0")
                    .contains("tandem_backfill_rows_total{table=\"accounts\"} 0.0");
            PlanCommandTest.Run text = migrate("backfill", "status", "--url", url);
            assertThat(text.out()).contains("Release 1 (running), migrations 2: 1 backfill")
                    .contains("waiting: paused: paused by ").contains("Settings: batch-size=500.")
                    .contains("Paused (last change by ");

            // the running apply has no throttle: it refuses a throttle limit, and the row is put back
            PlanCommandTest.Run refused = migrate("backfill", "set", "max-lag=10s", "--url", url);
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("the running migrate apply refused these settings: there is no backfill setting "
                    + "'max-lag'").contains("it keeps batch-size=500 (nothing was changed)");
            assertThat(awaitStatus(url, st -> true).path("settings").toString()).isEqualTo("{\"batch-size\":\"500\"}");

            PlanCommandTest.Run resumed = migrate("backfill", "resume", "--url", url);
            assertThat(resumed.out()).isEqualTo("Resumed the backfill of release 1: batches run again.\n");
            PlanCommandTest.Run done = run.get(60, TimeUnit.SECONDS);
            assertThat(done.exit()).as(done.err()).isZero();
            assertThat(done.err()).contains("metrics on http://0.0.0.0:" + port + "/metrics");
            assertThat(done.out()).contains("waiting, no batch runs: paused: paused by ").contains("going on after waiting")
                    .contains("new settings").contains("batch-size=500").contains("done: 20,000 rows in 40 batches");
            assertThat(rows(db, "SELECT count(*) FROM accounts WHERE cents = balance * 100")).containsExactly("20000");
            assertThat(rows(db, "SELECT batches || ' ' || batch_size || ' ' || (throttled_ms > 0) FROM tandem.backfill_checkpoints"))
                    .containsExactly("40 500 true");
        }
    }

    @Test
    void aRoleThatCannotReadOtherSessionsStatisticsIsToldBeforeAnythingRuns() throws Exception {
        Files.writeString(dir.resolve("V2__cents.sql"), "UPDATE accounts SET cents = balance * 100;\n");
        String role = "tandem_weak_" + Long.toHexString(System.nanoTime());
        try (TestDatabase db = PostgresHarness.get().newDatabase(); java.sql.Connection c = db.connection();
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN");
            try {
                st.execute("GRANT ALL ON SCHEMA public TO " + role);
                st.execute("GRANT CREATE ON DATABASE \"" + c.getCatalog() + "\" TO " + role);
                st.execute("SET ROLE " + role);
                st.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, balance int NOT NULL, cents bigint)");
                st.execute("INSERT INTO accounts SELECT i, i FROM generate_series(1, 100) i");
                st.execute("RESET ROLE");
                String weak = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + role;
                PlanCommandTest.Run r = migrate("apply", dir.toString(), "--url", weak, "--phase", "all");
                assertThat(r.exit()).isEqualTo(2);
                assertThat(r.err()).contains("GRANT pg_monitor TO " + role).contains("--no-throttle").contains("Nothing was applied");
                assertThat(rows(db, "SELECT to_regnamespace('tandem') IS NULL")).containsExactly("t");
                assertThat(migrate("apply", dir.toString(), "--url", weak, "--phase", "all", "--no-throttle").exit()).isZero();
                assertThat(rows(db, "SELECT count(*) FROM accounts WHERE cents = balance * 100")).containsExactly("100");
            } finally {
                st.execute("RESET ROLE");
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void aMetricsPortInUseOrABackfillCommandMissingIsBadInput() throws Exception {
        PlanCommandTest.Run bare = migrate("backfill");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("a backfill command is required: pause, resume, set or status");
        PlanCommandTest.Run notPair = migrate("backfill", "set", "batch-size", "--url", "postgres://nobody@127.0.0.1:1/x");
        assertThat(notPair.exit()).isEqualTo(2);
    }

    /** Polls {@code migrate backfill status --format json} until {@code until} holds (15 s at most). */
    private static JsonNode awaitStatus(String url, java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            PlanCommandTest.Run r = migrate("backfill", "status", "--url", url, "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode n = MAPPER.readTree(r.out());
            if (until.test(n)) return n;
            if (System.nanoTime() > deadline) throw new AssertionError("status never got there: " + r.out());
            Thread.sleep(50);
        }
    }

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

}
