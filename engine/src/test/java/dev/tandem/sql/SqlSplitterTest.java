package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlSplitterTest {

    private static List<String> sqls(String script) {
        return SqlSplitter.split(script).stream().map(RawStatement::sql).toList();
    }

    @Test
    void splitsAtTopLevelSemicolons() {
        assertThat(sqls("SELECT 1; SELECT 2;\nSELECT 3")).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void dropsEmptyStatementsAndWhitespace() {
        assertThat(sqls(";;  ;\n SELECT 1 ;;; \n\n")).containsExactly("SELECT 1");
        assertThat(SqlSplitter.split("")).isEmpty();
        assertThat(SqlSplitter.split("  \n-- only a comment\n")).isEmpty();
    }

    @Test
    void semicolonsInsideQuotesDoNotSplit() {
        assertThat(sqls("INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"we;ird\" FROM \"x\"\"y;\";"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT \"we;ird\" FROM \"x\"\"y;\"");
    }

    @Test
    void escapeStringsWithBackslashQuote() {
        assertThat(sqls("SELECT E'it\\'s; fine\\\\'; SELECT 'plain\\'; SELECT 2"))
                .containsExactly("SELECT E'it\\'s; fine\\\\'", "SELECT 'plain\\'", "SELECT 2");
    }

    @Test
    void dollarQuotesWithAndWithoutTags() {
        String script = """
                CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
                CREATE FUNCTION g() RETURNS int AS $body$
                BEGIN
                  PERFORM 'x; $$ not the end';
                  RETURN 1;
                END;
                $body$ LANGUAGE plpgsql;
                SELECT $1, $2 FROM t;
                DO $do$ BEGIN RAISE NOTICE '$$'; END $do$;
                """;
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).hasSize(4);
        assertThat(st.get(0).sql()).isEqualTo("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql");
        assertThat(st.get(1).sql()).startsWith("CREATE FUNCTION g()").endsWith("$body$ LANGUAGE plpgsql");
        assertThat(st.get(1).line()).isEqualTo(2);
        assertThat(st.get(2).sql()).isEqualTo("SELECT $1, $2 FROM t");
        assertThat(st.get(2).line()).isEqualTo(8);
        assertThat(st.get(3).sql()).isEqualTo("DO $do$ BEGIN RAISE NOTICE '$$'; END $do$");
    }

    @Test
    void identifierMayContainDollarSigns() {
        assertThat(sqls("SELECT a$b$c; SELECT 1")).containsExactly("SELECT a$b$c", "SELECT 1");
    }

    @Test
    void nestedBlockCommentsAndLineComments() {
        String script = "/* outer /* inner; */ still; */ SELECT 1 -- trailing; comment\n; SELECT /* in; */ 2;";
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).extracting(RawStatement::sql).containsExactly("SELECT 1", "SELECT /* in; */ 2");
        assertThat(st.get(0).leadingComments()).containsExactly(" outer /* inner; */ still; ");
    }

    @Test
    void leadingCommentsBelongToTheNextStatement() {
        String script = """
                -- migrate:ignore add-column-default
                /* second */
                ALTER TABLE t ADD COLUMN a int;
                -- orphan before empty statement
                ;
                -- next
                SELECT 1;
                -- trailing comment at the end
                """;
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).hasSize(2);
        assertThat(st.get(0).leadingComments()).containsExactly(" migrate:ignore add-column-default", " second ");
        assertThat(st.get(0).line()).isEqualTo(3);
        assertThat(st.get(1).leadingComments()).containsExactly(" orphan before empty statement", " next");
        assertThat(st.get(1).line()).isEqualTo(7);
    }

    @Test
    void crlfLineEndingsAreNotPartOfComments() {
        List<RawStatement> st = SqlSplitter.split("-- hello\r\nSELECT 1;\r\nSELECT\r\n  2;\r\n");
        assertThat(st.get(0).leadingComments()).containsExactly(" hello");
        assertThat(st.get(1).sql()).isEqualTo("SELECT\r\n  2");
        assertThat(st.get(1).line()).isEqualTo(3);
    }

    @Test
    void linesAndColumnsAcrossMultiLineStatements() {
        String script = "SELECT 'a\nb';  SELECT 2;\n\n   ALTER TABLE t\n  ADD COLUMN c int;\n\tSELECT $$\n\n$$; SELECT 3";
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).extracting(RawStatement::line).containsExactly(1, 2, 4, 6, 8);
        assertThat(st).extracting(RawStatement::column).containsExactly(1, 6, 4, 2, 5);
    }

    @Test
    void beginAndCommitAreStatementsOfTheirOwn() {
        String script = "BEGIN;\nALTER TYPE mood ADD VALUE 'ok';\nCOMMIT;\nBEGIN TRANSACTION; END;";
        assertThat(sqls(script)).containsExactly("BEGIN", "ALTER TYPE mood ADD VALUE 'ok'", "COMMIT", "BEGIN TRANSACTION", "END");
    }

    @Test
    void beginAtomicBodiesKeepTheirSemicolons() {
        String script = """
                CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int
                LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN a > 0 THEN a ELSE 0 END;
                  SELECT a + b;
                END;
                CREATE PROCEDURE ins(x int)
                BEGIN ATOMIC
                  INSERT INTO t VALUES (x);
                  INSERT INTO t VALUES (x + 1);
                END;
                BEGIN;
                SELECT 1;
                END;
                """;
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).extracting(RawStatement::sql).hasSize(5);
        assertThat(st.get(0).sql()).startsWith("CREATE OR REPLACE FUNCTION add").endsWith("SELECT a + b;\nEND");
        assertThat(st.get(1).sql()).startsWith("CREATE PROCEDURE ins").endsWith("VALUES (x + 1);\nEND");
        assertThat(st.get(1).line()).isEqualTo(7);
        assertThat(st.subList(2, 5)).extracting(RawStatement::sql).containsExactly("BEGIN", "SELECT 1", "END");
    }

    @Test
    void semicolonsInsideParenthesesDoNotSplit() {
        String script = "CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1";
        assertThat(sqls(script)).hasSize(2).first().asString().endsWith("VALUES (2))");
    }

    @Test
    void copyFromStdinDataIsReturnedAndSkipped() {
        String script = """
                SET statement_timeout = 0;
                COPY public.users (id, name) FROM stdin;
                1\tAlice; not SQL
                2\t'Bob
                \\.
                SELECT pg_catalog.setval('public.users_id_seq', 2, true);
                COPY t TO stdout;
                """;
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).extracting(RawStatement::sql).containsExactly(
                "SET statement_timeout = 0",
                "COPY public.users (id, name) FROM stdin",
                "SELECT pg_catalog.setval('public.users_id_seq', 2, true)",
                "COPY t TO stdout");
        assertThat(st.get(1).copyData()).isEqualTo("1\tAlice; not SQL\n2\t'Bob\n");
        assertThat(st.get(0).copyData()).isNull();
        assertThat(st.get(2).line()).isEqualTo(6);
        assertThat(st.get(3).copyData()).isNull();
    }

    @Test
    void copyWithEmptyDataAndCrlf() {
        List<RawStatement> st = SqlSplitter.split("COPY t FROM STDIN WITH (FORMAT csv);\r\n\\.\r\nSELECT 1");
        assertThat(st).hasSize(2);
        assertThat(st.get(0).copyData()).isEmpty();
        assertThat(st.get(1).line()).isEqualTo(3);
    }

    @Test
    void copyFromFileHasNoData() {
        List<RawStatement> st = SqlSplitter.split("COPY t FROM '/tmp/x.csv';\nSELECT 1;");
        assertThat(st).hasSize(2);
        assertThat(st.get(0).copyData()).isNull();
    }

    @Test
    void copyWithoutTerminatorFails() {
        assertThatThrownBy(() -> SqlSplitter.split("SELECT 1;\nCOPY t FROM stdin;\n1\t2\n"))
                .isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(1);
                });
    }

    @Test
    void finalStatementWithoutSemicolon() {
        List<RawStatement> st = SqlSplitter.split("SELECT 1;\n  DROP TABLE t -- bye\n");
        assertThat(st).extracting(RawStatement::sql).containsExactly("SELECT 1", "DROP TABLE t");
        assertThat(st.get(1).column()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT 1;\\nSELECT 'abc;                 | 2 | 8  | unterminated quoted string",
        "SELECT 1;\\n\\n  SELECT E'abc\\'            | 3 | 10 | unterminated quoted string",
        "SELECT \"abc                           | 1 | 8  | unterminated quoted identifier",
        "SELECT 1;\\nDO $x$ BEGIN END $y$;         | 2 | 4  | unterminated dollar-quoted string",
        "SELECT 1; /* a /* b */ c              | 1 | 11 | unterminated /* comment",
    })
    void unterminatedConstructsNameWhereTheyStarted(String script, int line, int column, String detail) {
        assertThatThrownBy(() -> SqlSplitter.split(script.replace("\\n", "\n")))
                .isInstanceOfSatisfying(SqlSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.detail()).isEqualTo(detail);
                    assertThat(e.getMessage()).startsWith("line " + line + ", column " + column);
                });
    }

    @Test
    void pgDumpHeader() {
        String script = """
                --
                -- PostgreSQL database dump
                --

                SET statement_timeout = 0;
                SET lock_timeout = 0;
                SELECT pg_catalog.set_config('search_path', '', false);
                SET check_function_bodies = false;

                CREATE TABLE public.t (
                    id integer NOT NULL,
                    name character varying(100)
                );

                ALTER TABLE ONLY public.t
                    ADD CONSTRAINT t_pkey PRIMARY KEY (id);
                """;
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).hasSize(6);
        assertThat(st.get(0).leadingComments()).containsExactly("", " PostgreSQL database dump", "");
        assertThat(st.get(4).line()).isEqualTo(10);
        assertThat(st.get(5).sql()).isEqualTo("ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id)");
        assertThat(st.get(5).line()).isEqualTo(15);
    }

    @Test
    void psqlMetaCommandLinesAreStatementsOfTheirOwn() {
        String script = "\\echo Use \"CREATE EXTENSION x\" to load this file. \\quit\n"
                + "CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql;\n"
                + "\\restrict abc123\n"
                + "SELECT 1;\n"
                + "  \\unrestrict abc123\n";
        List<RawStatement> st = SqlSplitter.split(script);
        assertThat(st).extracting(RawStatement::sql).containsExactly(
                "\\echo Use \"CREATE EXTENSION x\" to load this file. \\quit",
                "CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql",
                "SELECT 1");
        assertThat(st).extracting(RawStatement::line).containsExactly(1, 2, 4);
        assertThatThrownBy(() -> new SqlParser().parse(st.get(0).sql())).isInstanceOf(SqlSyntaxException.class);
    }

    @Test
    void splitsManyStatements() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("-- step ").append(i).append('\n');
            sb.append("ALTER TABLE t").append(i % 7).append(" ADD COLUMN c").append(i).append(" text DEFAULT 'x;y';\n");
        }
        List<RawStatement> st = SqlSplitter.split(sb.toString());
        assertThat(st).hasSize(10_000);
        assertThat(st.get(9_999).line()).isEqualTo(20_000);
        assertThat(st.get(9_999).leadingComments()).containsExactly(" step 9999");
    }
}
