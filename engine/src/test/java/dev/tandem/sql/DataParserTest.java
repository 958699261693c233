package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.parse;
import static dev.tandem.sql.ParserTesting.qn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataParserTest {

    @Test
    void updates() {
        assertThat(parse("UPDATE users SET active = true"))
                .isEqualTo(new Change.Update(qn("users"), null, "active = true", null, null));
        assertThat(parse("UPDATE ONLY s.users AS u SET a = 1, b = (SELECT max(c) FROM v WHERE v.id = u.id)"
                + " FROM w WHERE u.id = w.id AND u.a IS DISTINCT FROM w.a RETURNING u.id"))
                .isEqualTo(new Change.Update(qn("s", "users"), "u", "a = 1, b = (SELECT max(c) FROM v WHERE v.id = u.id)",
                        "w", "u.id = w.id AND u.a IS DISTINCT FROM w.a"));
        assertThat(parse("UPDATE t x SET (a, b) = (1, 2) WHERE id BETWEEN 1 AND 1000"))
                .isEqualTo(new Change.Update(qn("t"), "x", "(a, b) = (1, 2)", null, "id BETWEEN 1 AND 1000"));
        assertThat(parse("UPDATE t SET a = CASE WHEN b IS NOT DISTINCT FROM c THEN 1 END WHERE CURRENT OF cur"))
                .isEqualTo(new Change.Update(qn("t"), null, "a = CASE WHEN b IS NOT DISTINCT FROM c THEN 1 END", null,
                        "CURRENT OF cur"));
        assertThat(parse("UPDATE t SET\n  a =   1\nWHERE  b = 2"))
                .isEqualTo(new Change.Update(qn("t"), null, "a = 1", null, "b = 2"));
    }

    @Test
    void withUpdateTargetsTheMainTable() {
        assertThat(parse("WITH batch AS (SELECT id FROM users WHERE email IS NULL LIMIT 1000)"
                + " UPDATE users SET email = '' FROM batch WHERE users.id = batch.id"))
                .isEqualTo(new Change.Update(qn("users"), null, "email = ''", "batch", "users.id = batch.id"));
        assertThat(parse("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5),"
                + " s AS MATERIALIZED (SELECT 2) DELETE FROM t WHERE id IN (SELECT n FROM r)"))
                .isEqualTo(new Change.Delete(qn("t"), null, "id IN (SELECT n FROM r)"));
        assertThat(parse("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x")).isEqualTo(new Change.Insert(qn("t"), true));
        assertThat(parse("WITH d AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM d")).isInstanceOf(Change.Opaque.class);
    }

    @Test
    void deletes() {
        assertThat(parse("DELETE FROM t")).isEqualTo(new Change.Delete(qn("t"), null, null));
        assertThat(parse("DELETE FROM ONLY s.t AS x USING u, v WHERE x.a = u.a RETURNING *"))
                .isEqualTo(new Change.Delete(qn("s", "t"), "u, v", "x.a = u.a"));
        assertThat(parse("DELETE FROM t WHERE created_at < now() - interval '30 days'"))
                .isEqualTo(new Change.Delete(qn("t"), null, "created_at < now() - interval '30 days'"));
        assertThatThrownBy(() -> parse("DELETE t")).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void inserts() {
        assertThat(parse("INSERT INTO t (a, b) VALUES (1, 2), (3, 4)")).isEqualTo(new Change.Insert(qn("t"), false));
        assertThat(parse("INSERT INTO s.t DEFAULT VALUES")).isEqualTo(new Change.Insert(qn("s", "t"), false));
        assertThat(parse("INSERT INTO t SELECT * FROM u")).isEqualTo(new Change.Insert(qn("t"), true));
        assertThat(parse("INSERT INTO t AS x (a) OVERRIDING SYSTEM VALUE VALUES (1) ON CONFLICT (a) DO UPDATE SET a = excluded.a RETURNING a"))
                .isEqualTo(new Change.Insert(qn("t"), false));
        assertThat(parse("INSERT INTO t (SELECT 1)")).isEqualTo(new Change.Insert(qn("t"), true));
        assertThat(parse("INSERT INTO t (a) (SELECT 1)")).isEqualTo(new Change.Insert(qn("t"), true));
        assertThat(parse("INSERT INTO flyway_schema_history VALUES (1, '1', 'init') ON CONFLICT DO NOTHING"))
                .isEqualTo(new Change.Insert(qn("flyway_schema_history"), false));
        assertThatThrownBy(() -> parse("INSERT t VALUES (1)")).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void mergeAndCopy() {
        assertThat(parse("MERGE INTO ONLY t AS x USING s ON x.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a"
                + " WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.a)")).isEqualTo(new Change.Merge(qn("t")));
        assertThat(parse("COPY public.users (id, name) FROM stdin")).isEqualTo(new Change.Copy(qn("public", "users"), true));
        assertThat(parse("COPY t FROM '/data/x.csv' WITH (FORMAT csv, HEADER)")).isEqualTo(new Change.Copy(qn("t"), true));
        assertThat(parse("COPY t TO STDOUT")).isEqualTo(new Change.Copy(qn("t"), false));
        assertThat(parse("COPY (SELECT * FROM t) TO '/tmp/x'")).isEqualTo(new Change.Copy(null, false));
        assertThat(parse("COPY BINARY t FROM stdin")).isEqualTo(new Change.Copy(qn("t"), true));
    }

    @Test
    void queries() {
        Change.Query q = parse("SELECT pg_catalog.set_config('search_path', '', false);", Change.Query.class);
        assertThat(q.text()).isEqualTo("SELECT pg_catalog.set_config('search_path', '', false)");
        assertThat(q.calls().functions()).containsExactly("pg_catalog.set_config");
        assertThat(parse("SELECT setval('t_id_seq', (SELECT max(id) FROM t))", Change.Query.class).calls())
                .isEqualTo(new Expr("SELECT setval('t_id_seq', (SELECT max(id) FROM t))", java.util.List.of("setval", "max"), true));
        assertThat(parse("SELECT pg_sleep(1)", Change.Query.class).calls().functions()).containsExactly("pg_sleep");
        assertThat(parse("VALUES (1), (2)", Change.Query.class).calls().functions()).isEmpty();
        assertThat(parse("TABLE t", Change.Query.class).text()).isEqualTo("TABLE t");
        assertThat(parse("SHOW search_path", Change.Query.class).text()).isEqualTo("SHOW search_path");
        assertThat(parse("(SELECT 1) UNION (SELECT 2)", Change.Query.class).text()).isEqualTo("(SELECT 1) UNION (SELECT 2)");
        assertThat(parse("WITH x AS (SELECT now()) SELECT * FROM x", Change.Query.class).calls().functions())
                .containsExactly("now");
        assertThat(parse("SELECT 1 FROM t FOR UPDATE", Change.Query.class).text()).isEqualTo("SELECT 1 FROM t FOR UPDATE");
    }

    @Test
    void explain() {
        assertThat(parse("EXPLAIN SELECT * FROM t")).isInstanceOf(Change.Query.class);
        assertThat(parse("EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t")).isInstanceOf(Change.Query.class);
        assertThat(parse("EXPLAIN UPDATE t SET a = 1")).isInstanceOf(Change.Query.class);
        assertThat(parse("EXPLAIN ANALYZE UPDATE t SET a = 1")).isInstanceOf(Change.Opaque.class);
        assertThat(parse("EXPLAIN (ANALYZE true) DELETE FROM t")).isInstanceOf(Change.Opaque.class);
        assertThat(parse("EXPLAIN (ANALYZE false) DELETE FROM t")).isInstanceOf(Change.Query.class);
    }
}
