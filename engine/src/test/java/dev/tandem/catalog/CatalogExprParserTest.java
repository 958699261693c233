package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sql.Expr;
import org.junit.jupiter.api.Test;

/** Inputs are what pg_get_expr(…, true) prints on PostgreSQL 15. */
class CatalogExprParserTest {

    @Test
    void callsAreFoundOutsideLiteralsAndCasts() {
        Expr e = CatalogExprParser.parse("nextval('orders_id_seq'::regclass)");
        assertThat(e.text()).isEqualTo("nextval('orders_id_seq'::regclass)");
        assertThat(e.functions()).containsExactly("nextval");
        assertThat(e.subquery()).isFalse();

        assertThat(CatalogExprParser.parse("gen_random_uuid()").functions()).containsExactly("gen_random_uuid");
        assertThat(CatalogExprParser.parse("'now()'::text").functions()).isEmpty();
        assertThat(CatalogExprParser.parse("'it''s lower(x)'::character varying").functions()).isEmpty();
    }

    @Test
    void valueKeywordsCountAsFunctions() {
        assertThat(CatalogExprParser.parse("CURRENT_TIMESTAMP").functions()).containsExactly("current_timestamp");
        assertThat(CatalogExprParser.parse("CURRENT_USER").functions()).containsExactly("current_user");
        assertThat(CatalogExprParser.parse("(CURRENT_DATE + 1)").functions()).containsExactly("current_date");
    }

    @Test
    void castTargetsWithModifiersAndSeveralWordsAreNotCalls() {
        assertThat(CatalogExprParser.parse("0::numeric(10,2)").functions()).isEmpty();
        assertThat(CatalogExprParser.parse("'x'::character varying(20)").functions()).isEmpty();
        assertThat(CatalogExprParser.parse("'2020-01-01'::timestamp(3) with time zone").functions()).isEmpty();
        assertThat(CatalogExprParser.parse("(total * 100::numeric)::bigint").functions()).isEmpty();
        assertThat(CatalogExprParser.parse("'{}'::integer[]").functions()).isEmpty();
        assertThat(CatalogExprParser.parse("'a'::public.order_status").functions()).isEmpty();
    }

    @Test
    void syntaxWordsBeforeParenthesesAreNotCalls() {
        Expr e = CatalogExprParser.parse(
                "status::text = ANY (ARRAY['new'::character varying, 'paid'::character varying]::text[])");
        assertThat(e.functions()).isEmpty();
        assertThat(CatalogExprParser.parse("price > 0::numeric AND (length(code) < 5 OR NOT (code IS NULL))")
                .functions()).containsExactly("length");
        assertThat(CatalogExprParser.parse("CASE WHEN (a > 0) THEN upper(b) ELSE lower(b) END").functions())
                .containsExactly("upper", "lower");
    }

    @Test
    void qualifiedAndQuotedNamesKeepTheirSchema() {
        assertThat(CatalogExprParser.parse("public.next_order_no()").functions()).containsExactly("public.next_order_no");
        assertThat(CatalogExprParser.parse("\"Weird\".\"MakeId\"(1)").functions()).containsExactly("Weird.MakeId");
        assertThat(CatalogExprParser.parse("pg_catalog.now()").functions()).containsExactly("pg_catalog.now");
    }

    @Test
    void subSelectsAreNoticed() {
        assertThat(CatalogExprParser.parse("(SELECT max(id) FROM t)").subquery()).isTrue();
        assertThat(CatalogExprParser.parse("'select'::text").subquery()).isFalse();
    }

    @Test
    void nullStaysNull() {
        assertThat(CatalogExprParser.parse(null)).isNull();
    }
}
