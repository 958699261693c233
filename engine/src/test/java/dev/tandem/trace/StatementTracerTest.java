package dev.tandem.trace;

import static dev.tandem.testing.Sql.count;
import static dev.tandem.testing.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.classify.TableLock;
import dev.tandem.sql.LockMode;
import dev.tandem.testing.PostgresHarness;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the tracer sees PostgreSQL do, on the real server, in a scratch database of its own. */
class StatementTracerTest {
    private static final String SCHEMA = """
            CREATE TYPE mood AS ENUM ('ok', 'sad');
            CREATE TABLE p (id int PRIMARY KEY, name text NOT NULL);
            CREATE TABLE t (id int PRIMARY KEY, v int, s varchar(20) NOT NULL, at timestamptz NOT NULL, u uuid, m mood NOT NULL,
                            flag boolean, doc jsonb, created timestamptz NOT NULL DEFAULT now());
            CREATE TABLE child (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, pid int NOT NULL REFERENCES p (id));
            CREATE VIEW tv AS SELECT id, s FROM t;
            """;

    @Test
    void eachStatementIsSeenInARolledBackTransactionAndThenLeftInPlace() throws SQLException {
        TestDatabase admin = PostgresHarness.get().newDatabase();
        try (admin; ScratchDatabase scratch = ScratchDatabase.create(admin.jdbcUrl(), admin.user(), admin.password());
                StatementTracer tracer = StatementTracer.open(scratch.connect())) {
            for (String s : SCHEMA.split(";\n")) if (!s.isBlank()) tracer.replay(s);
            SampleRows.Result sample;
            try (Connection c = scratch.connect()) {
                sample = SampleRows.fill(c, 200);
            }
            // child's foreign key takes a key of p, filled in the same pass or the next
            assertThat(sample.filled()).containsExactlyInAnyOrder("p", "t", "child");
            assertThat(sample.skipped()).isEmpty();
            assertThat(tracer.eventTriggers()).isTrue();

            TraceFacts add = tracer.trace("ALTER TABLE t ADD COLUMN c int", List.of());
            assertThat(add.how()).isEqualTo(TraceFacts.How.ROLLED_BACK);
            assertThat(add.locks()).containsExactly(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE));
            assertThat(add.rewrites()).isEmpty();
            assertThat(add.scans()).isEmpty();
            assertThat(add.commands()).containsExactly("ALTER TABLE");
            assertThat(add.error()).isNull();

            TraceFacts retype = tracer.trace("ALTER TABLE t ALTER COLUMN v TYPE bigint", List.of());
            assertThat(retype.error()).isNull();
            assertThat(retype.rewrites()).containsExactly("public.t");
            assertThat(retype.locks()).containsExactly(new TableLock("public.t", LockMode.ACCESS_EXCLUSIVE));
            // a column a view reads cannot change type: the statement fails on the scratch database, and says why
            TraceFacts view = tracer.trace("ALTER TABLE t ALTER COLUMN s TYPE text", List.of());
            assertThat(view.error()).contains("cannot alter type of a column used by a view or rule");

            TraceFacts check = tracer.trace("ALTER TABLE t ADD CONSTRAINT t_v CHECK (v >= 0)", List.of());
            assertThat(check.scans()).as("the validation reads every row").containsExactly("public.t");
            assertThat(check.rewrites()).isEmpty();

            TraceFacts notValid = tracer.trace("ALTER TABLE t ADD CONSTRAINT t_v2 CHECK (v < 1000000) NOT VALID", List.of());
            assertThat(notValid.scans()).isEmpty();

            TraceFacts index = tracer.trace("CREATE INDEX t_s ON t (s)", List.of());
            assertThat(index.locks()).containsExactly(new TableLock("public.t", LockMode.SHARE));
            assertThat(index.scans()).containsExactly("public.t");
            assertThat(index.commands()).containsExactly("CREATE INDEX");

            List<TableLock> documented = List.of(new TableLock("public.t", LockMode.SHARE_UPDATE_EXCLUSIVE));
            TraceFacts concurrent = tracer.trace("CREATE INDEX CONCURRENTLY t_at ON t (at)", documented);
            assertThat(concurrent.how()).isEqualTo(TraceFacts.How.RAN_FOR_REAL);
            assertThat(concurrent.locks()).isEqualTo(documented);
            assertThat(concurrent.commands()).containsExactly("CREATE INDEX");

            TraceFacts insideDo = tracer.trace("DO $$ BEGIN EXECUTE 'ALTER TABLE p ADD COLUMN note text'; END $$", List.of());
            assertThat(insideDo.commands()).containsExactly("ALTER TABLE");
            assertThat(insideDo.locks()).contains(new TableLock("public.p", LockMode.ACCESS_EXCLUSIVE));

            TraceFacts broken = tracer.trace("ALTER TABLE t ADD CONSTRAINT t_flag CHECK (flag)", List.of());
            assertThat(broken.error()).contains("is violated by some row").contains("SQLSTATE 23514");
            assertThat(broken.locks()).isEmpty();

            TraceFacts truncate = tracer.trace("TRUNCATE child", List.of());
            // a table made earlier in the same migration is not pre-existing for its statements
            tracer.beginMigration();
            tracer.replay("CREATE TABLE fresh (id int)");
            assertThat(tracer.trace("ALTER TABLE fresh ADD COLUMN x int", List.of()).locks()).isEmpty();
            assertThat(truncate.rewrites()).as("new storage, but empty: not a rewrite").isEmpty();
            assertThat(truncate.locks()).contains(new TableLock("public.child", LockMode.ACCESS_EXCLUSIVE));

            // every traced statement but the broken one is in place for the ones after it
            try (Connection c = scratch.connect()) {
                assertThat(rows(c, "SELECT conname FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'c' ORDER BY 1"))
                        .containsExactly("t_v", "t_v2");
                assertThat(rows(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass"
                        + " AND attname = 'v'")).containsExactly("bigint");
                assertThat(rows(c, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 't'::regclass ORDER BY 1"))
                        .containsExactly("t_at", "t_pkey", "t_s");
                assertThat(count(c, "SELECT count(*) FROM t")).isEqualTo(200);
            }
        }
        // the scratch database is gone, and the user's was never touched
        try (TestDatabase check = PostgresHarness.get().newDatabase(); Connection c = check.connection()) {
            assertThat(count(c, "SELECT count(*) FROM pg_database WHERE datname LIKE 'tandem\\_trace\\_%'")).isZero();
        }
    }

    @Test
    void scratchUrlsKeepTheServerAndParametersAndRefuseOtherForms() {
        assertThat(ScratchDatabase.urlOf("jdbc:postgresql://h:5433/app?sslmode=require", "x"))
                .isEqualTo("jdbc:postgresql://h:5433/x?sslmode=require");
        assertThat(ScratchDatabase.urlOf("jdbc:postgresql://h", "x")).isEqualTo("jdbc:postgresql://h/x");
        assertThatThrownBy(() -> ScratchDatabase.urlOf("jdbc:postgresql:app?password=secret", "x"))
                .hasMessage("not a jdbc:postgresql:// URL: jdbc:postgresql:app");
    }
}
