package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sanity check for large histories: 10,000 mixed statements split and parse without an error and
 * without falling back to Opaque (no timing assertion; the benchmark lives elsewhere).
 */
class ManyStatementsTest {

    private static final List<String> TEMPLATES = List.of(
            "ALTER TABLE t%d ADD COLUMN c%d text DEFAULT 'x;y' NOT NULL",
            "ALTER TABLE ONLY public.t%d ADD CONSTRAINT t%d_pkey PRIMARY KEY (id)",
            "ALTER TABLE t%d ALTER COLUMN c%d TYPE bigint USING c%d::bigint",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i%d ON t%d USING btree (lower(c%d)) WHERE c%d IS NOT NULL",
            "CREATE TABLE IF NOT EXISTS s.t%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v%d numeric(10,2) CHECK (v%d > 0))",
            "UPDATE t%d SET c = c + 1 WHERE id BETWEEN %d AND %d",
            "INSERT INTO t%d (a, b) VALUES (%d, 'it''s %d')",
            "DELETE FROM t%d WHERE id = %d",
            "SELECT setval('t%d_id_seq', %d, true)",
            "CREATE OR REPLACE FUNCTION f%d() RETURNS int AS $fn$ BEGIN RETURN %d; END; $fn$ LANGUAGE plpgsql",
            "DROP INDEX CONCURRENTLY IF EXISTS i%d",
            "COMMENT ON TABLE t%d IS 'table %d'",
            "SET LOCAL lock_timeout = '%ds'",
            "ALTER TYPE e%d ADD VALUE IF NOT EXISTS 'v%d' AFTER 'v%d'",
            "CREATE SEQUENCE s%d START WITH %d INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1",
            "ALTER TABLE t%d ADD CONSTRAINT fk%d FOREIGN KEY (a) REFERENCES u%d (id) ON DELETE CASCADE NOT VALID",
            "DO $$ BEGIN PERFORM %d; END $$",
            "ALTER TABLE t%d VALIDATE CONSTRAINT fk%d",
            "CREATE VIEW v%d AS SELECT * FROM t%d WHERE id > %d",
            "GRANT SELECT ON t%d TO role%d");

    @Test
    void tenThousandMixedStatements() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String t = TEMPLATES.get(i % TEMPLATES.size());
            sb.append("-- statement ").append(i).append('\n');
            sb.append(t.replace("%d", Integer.toString(i))).append(";\n");
            if (i % 500 == 0) sb.append("BEGIN;\nCOMMIT;\n");
        }
        List<RawStatement> statements = SqlSplitter.split(sb.toString());
        assertThat(statements).hasSize(10_000 + 2 * 20);

        SqlParser parser = new SqlParser();
        Map<String, Integer> kinds = new HashMap<>();
        for (RawStatement s : statements) {
            Change c = parser.parse(s.sql());
            assertThat(c).as(s.sql()).isNotInstanceOf(Change.Opaque.class);
            kinds.merge(c.getClass().getSimpleName(), 1, Integer::sum);
        }
        assertThat(kinds).containsEntry("AlterTable", 2500).containsEntry("Transaction", 40).containsEntry("CreateIndex", 500);
    }
}
