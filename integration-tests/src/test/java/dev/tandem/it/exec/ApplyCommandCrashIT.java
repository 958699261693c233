package dev.tandem.it.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's side of the crash guarantee ({@link CrashResumeIT} kills the engine in more
 * places): {@code migrate apply} killed with SIGKILL in the middle of a backfill, as a Kubernetes Job pod is
 * when its node goes away: the next run continues at the first unfinished step, repeats no finished
 * one, resumes the backfill at its checkpoint, and ends where an uninterrupted run ends. The runner
 * is the real command line in a JVM of its own; the second run finds the release under way, checks
 * the files' checksums and continues with the stored plan (the live schema it would plan against
 * has changed since).
 */
class ApplyCommandCrashIT {
    private static final int ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void aRunKilledMidBackfillResumesAtItsCheckpointAndEndsLikeACleanRun() throws Exception {
        Files.writeString(dir.resolve("V1__accounts.sql"), """
                CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, balance int NOT NULL);
                INSERT INTO accounts SELECT i, 'n' || i, mod(i, 1000) FROM generate_series(1, %d) i;
                """.formatted(ROWS));
        Files.writeString(dir.resolve("V2__rename.sql"), "ALTER TABLE accounts RENAME COLUMN name TO full_name;\n");
        Files.writeString(dir.resolve("V3__index.sql"), "CREATE INDEX accounts_balance ON accounts (balance);\n");
        try (TestDatabase killed = PostgresHarness.get().newDatabase(); TestDatabase clean = PostgresHarness.get().newDatabase()) {
            for (TestDatabase db : List.of(killed, clean)) flyway(db).target("1").load().migrate();

            // the uninterrupted run, for comparison
            assertThat(runToEnd(clean, "all").exit()).isZero();
            assertThat(runToEnd(clean, "contract").exit()).isZero();

            Process p = start(killed, "all", dir.resolve("killed-run.log"));
            long rowsAtKill = waitForBackfillProgress(killed, p);
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the runner
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(137);
            assertThat(rowsAtKill).isBetween(1L, ROWS - 1L);
            assertThat(rows(killed, "SELECT status FROM tandem.steps WHERE phase = 'backfill'")).containsExactly("running");
            List<String> expandBefore = rows(killed, "SELECT ordinal || ' ' || status || ' ' || attempts FROM tandem.steps "
                    + "WHERE phase = 'expand' ORDER BY ordinal");
            assertThat(expandBefore).allMatch(s -> s.endsWith(" done 1"));

            Run resumed = runToEnd(killed, "all");
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("continuing release")
                    .contains(expandBefore.size() + " done by an earlier run and not repeated");
            assertThat(runToEnd(killed, "contract").exit()).isZero();

            // no finished step ran again: one start each, one attempt each
            assertThat(rows(killed, "SELECT ordinal || ' ' || status || ' ' || attempts FROM tandem.steps "
                    + "WHERE phase = 'expand' ORDER BY ordinal")).isEqualTo(expandBefore);
            assertThat(rows(killed, "SELECT count(*) FROM tandem.events e JOIN tandem.steps s ON s.id = e.step_id "
                    + "WHERE s.phase = 'expand' AND e.type = 'step_started'")).containsExactly(Integer.toString(expandBefore.size()));
            // the backfill went on from its checkpoint: rows counted once, batches after the kill started past it
            assertThat(rows(killed, "SELECT rows_done FROM tandem.backfill_checkpoints")).containsExactly(Integer.toString(ROWS));
            assertThat(rows(killed, "SELECT count(*) FROM tandem.steps WHERE status <> 'done'")).containsExactly("0");

            assertThat(catalog(killed)).isEqualTo(catalog(clean));
            assertThat(data(killed)).isEqualTo(data(clean));
            assertThat(rows(killed, "SELECT count(*) FROM accounts WHERE full_name <> 'n' || id")).containsExactly("0");
            flyway(killed).load().validate();
            System.out.printf("[crash] killed with %d of %d rows backfilled; resumed and finished equal to a clean run%n",
                    rowsAtKill, ROWS);
        }
    }

    private record Run(int exit, String output) {}

    private Run runToEnd(TestDatabase db, String phase) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run-", ".log");
        Process p = start(db, phase, log);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("migrate apply finished").isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }

    /** {@code migrate apply} in a JVM of its own, with the test's class path (the cli module is on it). */
    private Process start(TestDatabase db, String phase, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.tandem.cli.Main",
                "apply", dir.toString(), "--url", url(db), "--phase", phase, "--batch-size", "500"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the backfill has committed some batches, and returns its rows done. */
    private static long waitForBackfillProgress(TestDatabase db, Process p) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) throw new AssertionError("migrate apply ended before its backfill was under way");
            boolean exists = rows(db, "SELECT to_regclass('tandem.backfill_checkpoints') IS NOT NULL").get(0).equals("t");
            long rows = exists ? Long.parseLong(rows(db, "SELECT coalesce(max(rows_done), 0) FROM tandem.backfill_checkpoints").get(0)) : 0;
            if (rows >= 20_000) return rows;
            Thread.sleep(20);
        }
        throw new AssertionError("the backfill made no progress in 60 s");
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway(TestDatabase db) {
        return Flyway.configure().locations("filesystem:" + dir).dataSource(db.jdbcUrl(), db.user(), db.password());
    }

    private static String catalog(TestDatabase db) throws SQLException {
        return String.join("\n", rows(db, """
                SELECT 'col ' || attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull
                  FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attnum > 0 AND NOT attisdropped
                UNION ALL SELECT 'idx ' || pg_get_indexdef(indexrelid) || ' ' || indisvalid FROM pg_index
                  WHERE indrelid = 'accounts'::regclass
                UNION ALL SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                  WHERE conrelid = 'accounts'::regclass
                UNION ALL SELECT 'trg ' || tgname FROM pg_trigger WHERE tgrelid = 'accounts'::regclass
                UNION ALL SELECT 'fn ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
                UNION ALL SELECT 'flyway ' || version || ' ' || script || ' ' || checksum || ' ' || success
                  FROM flyway_schema_history
                ORDER BY 1"""));
    }

    private static String data(TestDatabase db) throws SQLException {
        return rows(db, "SELECT md5(string_agg(a::text, ',' ORDER BY id)) FROM accounts a").get(0);
    }

    private static List<String> rows(TestDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static String url(TestDatabase db) {
        String sep = db.jdbcUrl().contains("?") ? "&" : "?";
        return db.jdbcUrl() + sep + "user=" + URLEncoder.encode(db.user(), StandardCharsets.UTF_8)
                + (db.password() != null ? "&password=" + URLEncoder.encode(db.password(), StandardCharsets.UTF_8) : "");
    }
}
