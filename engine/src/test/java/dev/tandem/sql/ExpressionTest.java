package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Inputs are what pg_get_expr(…, true) prints on PostgreSQL 15. */
class ExpressionTest {

    @Test
    void callsAreFoundOutsideLiteralsAndCasts() {
        Expr e = SqlParser.expression("nextval('orders_id_seq'::regclass)");
        assertThat(e.text()).isEqualTo("nextval('orders_id_seq'::regclass)");
        assertThat(e.functions()).containsExactly("nextval");
        assertThat(e.subquery()).isFalse();

        assertThat(SqlParser.expression("gen_random_uuid()").functions()).containsExactly("gen_random_uuid");
        assertThat(SqlParser.expression("'now()'::text").functions()).isEmpty();
        assertThat(SqlParser.expression("'it''s lower(x)'::character varying").functions()).isEmpty();
    }

    @Test
    void valueKeywordsCountAsFunctions() {
        assertThat(SqlParser.expression("CURRENT_TIMESTAMP").functions()).containsExactly("current_timestamp");
        assertThat(SqlParser.expression("CURRENT_USER").functions()).containsExactly("current_user");
        assertThat(SqlParser.expression("(CURRENT_DATE + 1)").functions()).containsExactly("current_date");
    }

    @Test
    void castTargetsWithModifiersAndSeveralWordsAreNotCalls() {
        assertThat(SqlParser.expression("0::numeric(10,2)").functions()).isEmpty();
        assertThat(SqlParser.expression("'x'::character varying(20)").functions()).isEmpty();
        assertThat(SqlParser.expression("'2020-01-01'::timestamp(3) with time zone").functions()).isEmpty();
        assertThat(SqlParser.expression("(total * 100::numeric)::bigint").functions()).isEmpty();
        assertThat(SqlParser.expression("'{}'::integer[]").functions()).isEmpty();
        assertThat(SqlParser.expression("'a'::public.order_status").functions()).isEmpty();
    }

    @Test
    void syntaxWordsBeforeParenthesesAreNotCalls() {
        Expr e = SqlParser.expression(
                "status::text = ANY (ARRAY['new'::character varying, 'paid'::character varying]::text[])");
        assertThat(e.functions()).isEmpty();
        assertThat(SqlParser.expression("price > 0::numeric AND (length(code) < 5 OR NOT (code IS NULL))")
                .functions()).containsExactly("length");
        assertThat(SqlParser.expression("CASE WHEN (a > 0) THEN upper(b) ELSE lower(b) END").functions())
                .containsExactly("upper", "lower");
    }

    @Test
    void qualifiedAndQuotedNamesKeepTheirSchema() {
        assertThat(SqlParser.expression("public.next_order_no()").functions()).containsExactly("public.next_order_no");
        assertThat(SqlParser.expression("\"Weird\".\"MakeId\"(1)").functions()).containsExactly("Weird.MakeId");
        assertThat(SqlParser.expression("pg_catalog.now()").functions()).containsExactly("pg_catalog.now");
    }

    @Test
    void subSelectsAreNoticed() {
        assertThat(SqlParser.expression("(SELECT max(id) FROM t)").subquery()).isTrue();
        assertThat(SqlParser.expression("'select'::text").subquery()).isFalse();
    }

    @Test
    void nullStaysNull() {
        assertThat(SqlParser.expression(null)).isNull();
    }
}
