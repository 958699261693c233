package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.parse;
import static dev.tandem.sql.ParserTesting.qn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sql.Change.TransactionKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UtilityParserTest {

    @Test
    void vacuumAndAnalyze() {
        assertThat(parse("VACUUM")).isEqualTo(new Change.Vacuum(List.of(), false, false));
        assertThat(parse("VACUUM FULL t")).isEqualTo(new Change.Vacuum(List.of(qn("t")), true, false));
        assertThat(parse("VACUUM FULL FREEZE VERBOSE ANALYZE s.t (a, b), u"))
                .isEqualTo(new Change.Vacuum(List.of(qn("s", "t"), qn("u")), true, false));
        assertThat(parse("VACUUM (VERBOSE, ANALYZE) t")).isEqualTo(new Change.Vacuum(List.of(qn("t")), false, false));
        assertThat(parse("VACUUM (FULL) t")).isEqualTo(new Change.Vacuum(List.of(qn("t")), true, false));
        assertThat(parse("VACUUM (FULL true, PARALLEL 4) t")).isEqualTo(new Change.Vacuum(List.of(qn("t")), true, false));
        assertThat(parse("VACUUM (FULL false) t")).isEqualTo(new Change.Vacuum(List.of(qn("t")), false, false));
        assertThat(parse("VACUUM ANALYZE t")).isEqualTo(new Change.Vacuum(List.of(qn("t")), false, false));
        assertThat(parse("ANALYZE")).isEqualTo(new Change.Vacuum(List.of(), false, true));
        assertThat(parse("ANALYZE VERBOSE t (a)")).isEqualTo(new Change.Vacuum(List.of(qn("t")), false, true));
        assertThat(parse("ANALYSE (SKIP_LOCKED) a, b")).isEqualTo(new Change.Vacuum(List.of(qn("a"), qn("b")), false, true));
    }

    @Test
    void cluster() {
        assertThat(parse("CLUSTER")).isEqualTo(new Change.Cluster(null, null));
        assertThat(parse("CLUSTER VERBOSE t USING t_idx")).isEqualTo(new Change.Cluster(qn("t"), "t_idx"));
        assertThat(parse("CLUSTER (VERBOSE) s.t")).isEqualTo(new Change.Cluster(qn("s", "t"), null));
        assertThat(parse("CLUSTER t_idx ON t")).isEqualTo(new Change.Cluster(qn("t"), "t_idx"));
    }

    @Test
    void lockTable() {
        assertThat(parse("LOCK t")).isEqualTo(new Change.LockTable(List.of(qn("t")), LockMode.ACCESS_EXCLUSIVE, false));
        assertThat(parse("LOCK TABLE ONLY a, s.b IN SHARE ROW EXCLUSIVE MODE NOWAIT"))
                .isEqualTo(new Change.LockTable(List.of(qn("a"), qn("s", "b")), LockMode.SHARE_ROW_EXCLUSIVE, true));
        assertThat(parse("lock table t in access share mode"))
                .isEqualTo(new Change.LockTable(List.of(qn("t")), LockMode.ACCESS_SHARE, false));
        assertThat(parse("LOCK TABLE t IN ROW EXCLUSIVE MODE"))
                .isEqualTo(new Change.LockTable(List.of(qn("t")), LockMode.ROW_EXCLUSIVE, false));
        assertThatThrownBy(() -> parse("LOCK TABLE t IN SUPER MODE")).isInstanceOfSatisfying(SqlSyntaxException.class,
                e -> assertThat(e.column()).isEqualTo(17));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "BEGIN                                         | BEGIN",
        "BEGIN WORK                                    | BEGIN",
        "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE | BEGIN",
        "START TRANSACTION READ WRITE                  | BEGIN",
        "COMMIT                                        | COMMIT",
        "COMMIT AND NO CHAIN                           | COMMIT",
        "END                                           | COMMIT",
        "END TRANSACTION                               | COMMIT",
        "ROLLBACK                                      | ROLLBACK",
        "ABORT                                         | ROLLBACK",
        "ROLLBACK WORK                                 | ROLLBACK",
        "ROLLBACK TO SAVEPOINT sp                      | ROLLBACK_TO",
        "ROLLBACK TRANSACTION TO sp                    | ROLLBACK_TO",
        "SAVEPOINT sp                                  | SAVEPOINT",
        "RELEASE SAVEPOINT sp                          | RELEASE",
        "RELEASE sp                                    | RELEASE",
        "PREPARE TRANSACTION 'x'                       | PREPARE",
        "COMMIT PREPARED 'x'                           | OTHER",
        "ROLLBACK PREPARED 'x'                         | OTHER",
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ | OTHER",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY | OTHER",
    })
    void transactions(String sql, TransactionKind kind) {
        assertThat(parse(sql)).isEqualTo(new Change.Transaction(kind));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "SET lock_timeout = '5s'                       | lock_timeout        | 5s              | false",
        "SET LOCAL lock_timeout TO 5000                | lock_timeout        | 5000            | true",
        "SET SESSION statement_timeout = 0             | statement_timeout   | 0               | false",
        "SET search_path TO public, \"$user\"          | search_path         | public, $user   | false",
        "SET search_path = ''                          | search_path         | ''              | false",
        "SET Client_Min_Messages TO WARNING            | client_min_messages | warning         | false",
        "SET myapp.user_id = '42'                      | myapp.user_id       | 42              | false",
        "SET extra_float_digits = -1                   | extra_float_digits  | -1              | false",
        "SET lock_timeout TO DEFAULT                   | lock_timeout        | null            | false",
        "SET TIME ZONE 'UTC'                           | timezone            | UTC             | false",
        "SET LOCAL TIME ZONE LOCAL                     | timezone            | null            | true",
        "SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE | timezone           | interval +00:00 hour to minute | false",
        "SET SCHEMA 'app'                              | search_path         | app             | false",
        "SET NAMES 'UTF8'                              | client_encoding     | UTF8            | false",
        "SET ROLE admin                                | role                | admin           | false",
        "SET SESSION AUTHORIZATION DEFAULT             | session_authorization | null          | false",
        "SET CONSTRAINTS ALL DEFERRED                  | constraints         | all deferred    | true",
        "RESET lock_timeout                            | lock_timeout        | null            | false",
        "RESET ALL                                     | all                 | null            | false",
        "RESET TIME ZONE                               | timezone            | null            | false",
        "RESET ROLE                                    | role                | null            | false",
    })
    void setAndReset(String sql, String name, String value, boolean local) {
        // CsvSource strips the quotes of '' (an empty string): compare with the value as written.
        String expected = value == null ? null : value.equals("''") ? "" : value;
        assertThat(parse(sql)).isEqualTo(new Change.SetParameter(name, expected, local));
    }

    @Test
    void setFromCurrentIsOpaque() {
        assertThat(parse("SET search_path FROM CURRENT")).isInstanceOf(Change.Opaque.class);
        assertThatThrownBy(() -> parse("SET lock_timeout")).isInstanceOf(SqlSyntaxException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "COMMENT ON TABLE public.t IS 'Users'                        | table             | public.t",
        "COMMENT ON COLUMN t.c IS NULL                               | column            | t.c",
        "COMMENT ON CONSTRAINT ck ON t IS 'x'                        | constraint        | ck ON t",
        "COMMENT ON FUNCTION f(int, text) IS 'x'                     | function          | f(int, text)",
        "COMMENT ON MATERIALIZED VIEW mv IS 'x'                      | materialized view | mv",
        "COMMENT ON EXTENSION pgcrypto IS 'crypto'                   | extension         | pgcrypto",
        "COMMENT ON TEXT SEARCH CONFIGURATION c IS 'x'               | text search configuration | c",
        "COMMENT ON INDEX idx IS $$it's$$                            | index             | idx",
    })
    void comments(String sql, String kind, String target) {
        assertThat(parse(sql)).isEqualTo(new Change.Comment(kind, target));
    }

    @Test
    void doAndCall() {
        assertThat(parse("DO $$ BEGIN PERFORM 1; END $$")).isEqualTo(new Change.DoBlock("plpgsql", " BEGIN PERFORM 1; END "));
        assertThat(parse("DO LANGUAGE plpgsql 'BEGIN NULL; END'")).isEqualTo(new Change.DoBlock("plpgsql", "BEGIN NULL; END"));
        assertThat(parse("DO $x$ print(1) $x$ LANGUAGE plpython3u")).isEqualTo(new Change.DoBlock("plpython3u", " print(1) "));
        assertThatThrownBy(() -> parse("DO")).isInstanceOf(SqlSyntaxException.class);
        assertThat(parse("CALL s.backfill(1000, 'x')")).isEqualTo(new Change.Call(qn("s", "backfill")));
        assertThat(parse("CALL p()")).isEqualTo(new Change.Call(qn("p")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO app",
        "REVOKE ALL ON t FROM PUBLIC",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ro",
        "CREATE ROLE app LOGIN PASSWORD 'x'",
        "CREATE USER app WITH PASSWORD 'x'",
        "CREATE GROUP devs",
        "ALTER ROLE app SET search_path = app",
        "ALTER USER app WITH SUPERUSER",
        "DROP ROLE IF EXISTS app",
        "DROP USER app",
        "REASSIGN OWNED BY old TO new",
        "DROP OWNED BY old CASCADE",
        "SECURITY LABEL FOR selinux ON TABLE t IS 'label'",
    })
    void privileges(String sql) {
        assertThat(parse(sql)).isEqualTo(new Change.Privileges(sql));
    }
}
