package dev.tandem.sql;

import static dev.tandem.sql.ParserTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expressions as seen through a column DEFAULT (ALTER TABLE … SET DEFAULT takes any expression). */
class ExprTest {

    private static Expr defaultOf(String expression) {
        AlterAction a = parse("ALTER TABLE t ALTER COLUMN c SET DEFAULT " + expression, Change.AlterTable.class).actions().get(0);
        return ((AlterAction.SetDefault) a).value();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "now()                                             => now",
        "pg_catalog.now()                                  => pg_catalog.now",
        "clock_timestamp()                                 => clock_timestamp",
        "CURRENT_TIMESTAMP                                 => current_timestamp",
        "current_timestamp(3)                              => current_timestamp",
        "LOCALTIMESTAMP                                    => localtimestamp",
        "current_date                                      => current_date",
        "current_time                                      => current_time",
        "localtime                                         => localtime",
        "CURRENT_USER                                      => current_user",
        "session_user                                      => session_user",
        "user                                              => user",
        "current_role                                      => current_role",
        "current_schema                                    => current_schema",
        "current_schema()                                  => current_schema",
        "current_catalog                                   => current_catalog",
        "random() * 100                                    => random",
        "\"MyFunc\"(1)                                     => MyFunc",
        "s.\"F\"(1)                                        => s.F",
        "lower(a) || upper(b) || lower(c)                  => lower,upper",
        "extract(epoch FROM now())                         => extract,now",
        "nextval('seq'::regclass)                          => nextval",
        "gen_random_uuid()                                 => gen_random_uuid",
        "format('%s-%s', a, to_char(now(), 'YYYY'))        => format,to_char,now",
        "count(*) FILTER (WHERE x) OVER (PARTITION BY y)   => count",
        "x::numeric(10,2)                                  => -",
        "CAST(x AS varchar(5))                             => -",
        "x::timestamp(3) with time zone                    => -",
        "x::character varying(10)                          => -",
        "x::double precision                               => -",
        "'now'::timestamp                                  => -",
        "coalesce(a, nullif(b, ''), greatest(c, least(d, e))) => -",
        "ARRAY[1, 2]                                       => -",
        "ROW(1, 2)                                         => -",
        "a IN (1, 2)                                       => -",
        "interval '1 day'                                  => -",
        "CASE WHEN a THEN b ELSE c END                     => -",
        "0                                                 => -",
        "'{}'::jsonb                                       => -",
        "(now() AT TIME ZONE 'utc')                        => now",
        "date_trunc('day', now())::date                    => date_trunc,now",
        "x::int + abs(y)                                   => abs",
    })
    void functions(String expression, String functions) {
        List<String> expected = functions.equals("-") ? List.of() : Arrays.asList(functions.split(","));
        assertThat(defaultOf(expression).functions()).isEqualTo(expected);
    }

    @Test
    void subqueries() {
        assertThat(defaultOf("(SELECT max(id) FROM t)").subquery()).isTrue();
        assertThat(defaultOf("(SELECT max(id) FROM t)").functions()).containsExactly("max");
        assertThat(defaultOf("EXISTS (SELECT 1)").subquery()).isTrue();
        assertThat(defaultOf("ARRAY(SELECT 1)").subquery()).isTrue();
        assertThat(defaultOf("(WITH x AS (SELECT 1) SELECT * FROM x)").subquery()).isTrue();
        assertThat(defaultOf("(1 + 2)").subquery()).isFalse();
        assertThat(defaultOf("'(SELECT 1)'").subquery()).isFalse();
    }

    @Test
    void whitespaceIsNormalisedAndCommentsDropped() {
        assertThat(defaultOf("lower(\n   'A'   ) /* note */ ||\t'b' -- end\n").text()).isEqualTo("lower( 'A' ) || 'b'");
        assertThat(defaultOf("'a  b'").text()).isEqualTo("'a  b'");
        assertThat(defaultOf("a+b").text()).isEqualTo("a+b");
    }
}
