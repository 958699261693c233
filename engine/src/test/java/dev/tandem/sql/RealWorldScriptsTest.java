package dev.tandem.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripts in the shapes that tools really write (pg_dump, Rails, Django, Flyway, Liquibase,
 * hand-written online migrations). Every statement is preceded by a comment
 * {@code -- expect: ChangeType}; the test splits the script, parses every statement and checks
 * the type, so splitter, leading comments and parser are exercised together.
 */
class RealWorldScriptsTest {

    static final String PG_DUMP = """
            --
            -- PostgreSQL database dump
            --

            -- expect: SetParameter
            SET statement_timeout = 0;
            -- expect: SetParameter
            SET lock_timeout = 0;
            -- expect: SetParameter
            SET idle_in_transaction_session_timeout = 0;
            -- expect: SetParameter
            SET client_encoding = 'UTF8';
            -- expect: SetParameter
            SET standard_conforming_strings = on;
            -- expect: Query
            SELECT pg_catalog.set_config('search_path', '', false);
            -- expect: SetParameter
            SET check_function_bodies = false;
            -- expect: SetParameter
            SET xmloption = content;
            -- expect: SetParameter
            SET client_min_messages = warning;
            -- expect: SetParameter
            SET row_security = off;
            -- expect: ExtensionChange
            CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
            -- expect: Comment
            COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';
            -- expect: CreateType
            CREATE TYPE public.order_status AS ENUM (
                'new',
                'paid',
                'shipped'
            );
            -- expect: AlterType
            ALTER TYPE public.order_status OWNER TO app;
            -- expect: CreateFunction
            CREATE FUNCTION public.set_updated_at() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
            BEGIN
              NEW.updated_at = now();
              RETURN NEW;
            END;
            $$;
            -- expect: OtherDdl
            ALTER FUNCTION public.set_updated_at() OWNER TO app;
            -- expect: SetParameter
            SET default_tablespace = '';
            -- expect: SetParameter
            SET default_table_access_method = heap;
            -- expect: CreateTable
            CREATE TABLE public.orders (
                id bigint NOT NULL,
                customer_id bigint NOT NULL,
                status public.order_status DEFAULT 'new'::public.order_status NOT NULL,
                total numeric(12,2),
                placed_at timestamp with time zone DEFAULT now() NOT NULL,
                notes text,
                CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))
            );
            -- expect: AlterTable
            ALTER TABLE public.orders OWNER TO app;
            -- expect: SequenceChange
            CREATE SEQUENCE public.orders_id_seq
                START WITH 1
                INCREMENT BY 1
                NO MINVALUE
                NO MAXVALUE
                CACHE 1;
            -- expect: SequenceChange
            ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;
            -- expect: AlterTable
            ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);
            -- expect: Copy
            COPY public.orders (id, customer_id, status, total, placed_at, notes) FROM stdin;
            1\t10\tnew\t12.50\t2024-01-01 00:00:00+00\t\\N
            2\t11\tpaid\t3.00\t2024-01-02 00:00:00+00\tsemi; colon
            \\.
            -- expect: Query
            SELECT pg_catalog.setval('public.orders_id_seq', 2, true);
            -- expect: AlterTable
            ALTER TABLE ONLY public.orders
                ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
            -- expect: CreateIndex
            CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);
            -- expect: CreateIndex
            CREATE UNIQUE INDEX orders_lower_notes_idx ON public.orders USING btree (lower(notes)) WHERE (notes IS NOT NULL);
            -- expect: CreateTrigger
            CREATE TRIGGER orders_updated_at BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
            -- expect: AlterTable
            ALTER TABLE ONLY public.orders
                ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;
            -- expect: Privileges
            GRANT SELECT ON TABLE public.orders TO reporting;
            -- expect: Privileges
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            -- expect: CreateView
            CREATE VIEW public.open_orders AS
             SELECT orders.id,
                orders.total
               FROM public.orders
              WHERE (orders.status <> 'shipped'::public.order_status);
            -- expect: CreateView
            CREATE MATERIALIZED VIEW public.daily AS
             SELECT date_trunc('day'::text, orders.placed_at) AS day, count(*) AS n
               FROM public.orders
              GROUP BY (date_trunc('day'::text, orders.placed_at))
              WITH NO DATA;
            -- expect: RefreshMaterializedView
            REFRESH MATERIALIZED VIEW public.daily;
            --
            -- PostgreSQL database dump complete
            --
            """;

    static final String RAILS = """
            -- expect: CreateTable
            CREATE TABLE "schema_migrations" ("version" character varying NOT NULL PRIMARY KEY);
            -- expect: CreateTable
            CREATE TABLE "ar_internal_metadata" ("key" character varying NOT NULL PRIMARY KEY, "value" character varying, "created_at" timestamp(6) NOT NULL, "updated_at" timestamp(6) NOT NULL);
            -- expect: CreateTable
            CREATE TABLE "users" ("id" bigserial primary key, "email" character varying DEFAULT '' NOT NULL, "admin" boolean DEFAULT FALSE, "created_at" timestamp(6) NOT NULL, "updated_at" timestamp(6) NOT NULL);
            -- expect: CreateIndex
            CREATE UNIQUE INDEX "index_users_on_email" ON "users" ("email");
            -- expect: AlterTable
            ALTER TABLE "users" ADD "name" character varying;
            -- expect: AlterTable
            ALTER TABLE "users" ADD "settings" jsonb DEFAULT '{}' NOT NULL;
            -- expect: CreateTable
            CREATE TABLE "posts" ("id" bigserial primary key, "user_id" bigint NOT NULL, "title" character varying, "body" text, CONSTRAINT "fk_rails_5b5ddfd518"
            FOREIGN KEY ("user_id")
              REFERENCES "users" ("id")
            );
            -- expect: CreateIndex
            CREATE INDEX CONCURRENTLY "index_posts_on_user_id" ON "posts" ("user_id");
            -- expect: AlterTable
            ALTER TABLE "posts" ADD CONSTRAINT "fk_rails_posts_users" FOREIGN KEY ("user_id") REFERENCES "users" ("id") NOT VALID;
            -- expect: AlterTable
            ALTER TABLE "posts" VALIDATE CONSTRAINT "fk_rails_posts_users";
            -- expect: AlterTable
            ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";
            -- expect: AlterTable
            ALTER TABLE "users" ALTER COLUMN "admin" SET DEFAULT TRUE;
            -- expect: AlterTable
            ALTER TABLE "users" ALTER COLUMN "full_name" TYPE text;
            -- expect: DropIndex
            DROP INDEX CONCURRENTLY "index_posts_on_user_id";
            -- expect: Insert
            INSERT INTO "schema_migrations" (version) VALUES ('20240101000000'), ('20240102000000');
            -- expect: Insert
            INSERT INTO "ar_internal_metadata" ("key", "value", "created_at", "updated_at") VALUES ('environment', 'production', '2024-01-01 00:00:00', '2024-01-01 00:00:00') RETURNING "key";
            -- expect: Update
            UPDATE "users" SET "admin" = FALSE WHERE "users"."admin" IS NULL;
            """;

    static final String DJANGO = """
            -- expect: Transaction
            BEGIN;
            --
            -- Create model Question
            --
            -- expect: CreateTable
            CREATE TABLE "polls_question" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "question_text" varchar(200) NOT NULL, "pub_date" timestamp with time zone NOT NULL);
            -- expect: CreateTable
            CREATE TABLE "polls_choice" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "choice_text" varchar(200) NOT NULL, "votes" integer NOT NULL, "question_id" bigint NOT NULL);
            -- expect: AlterTable
            ALTER TABLE "polls_choice" ADD CONSTRAINT "polls_choice_question_id_c5b4b260_fk_polls_question_id" FOREIGN KEY ("question_id") REFERENCES "polls_question" ("id") DEFERRABLE INITIALLY DEFERRED;
            -- expect: CreateIndex
            CREATE INDEX "polls_choice_question_id_c5b4b260" ON "polls_choice" ("question_id");
            -- expect: CreateIndex
            CREATE INDEX "polls_question_text_like" ON "polls_question" ("question_text" varchar_pattern_ops);
            -- expect: AlterTable
            ALTER TABLE "polls_question" ALTER COLUMN "question_text" TYPE varchar(300) USING "question_text"::varchar(300);
            -- expect: AlterTable
            ALTER TABLE "polls_choice" ADD COLUMN "weight" integer DEFAULT 0 NOT NULL CHECK ("weight" >= 0);
            -- expect: AlterTable
            ALTER TABLE "polls_choice" ALTER COLUMN "weight" DROP DEFAULT;
            -- expect: SetParameter
            SET CONSTRAINTS "polls_choice_question_id_c5b4b260_fk_polls_question_id" IMMEDIATE;
            -- expect: AlterTable
            ALTER TABLE "polls_choice" DROP CONSTRAINT "polls_choice_question_id_c5b4b260_fk_polls_question_id";
            -- expect: AlterTable
            ALTER TABLE "polls_question" ADD CONSTRAINT "uniq_text" UNIQUE ("question_text");
            -- expect: Transaction
            COMMIT;
            """;

    static final String HAND_WRITTEN = """
            /* migrate:ignore set-not-null */
            -- expect: SetParameter
            SET lock_timeout TO '5s';
            -- expect: SetParameter
            SET statement_timeout TO 0;
            -- expect: AlterTable
            ALTER TABLE users ADD CONSTRAINT users_email_null CHECK (email IS NOT NULL) NOT VALID;
            -- expect: AlterTable
            ALTER TABLE users VALIDATE CONSTRAINT users_email_null;
            -- expect: AlterTable
            ALTER TABLE users ALTER COLUMN email SET NOT NULL, DROP CONSTRAINT users_email_null;
            -- expect: CreateIndex
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_uq ON users (lower(email));
            -- expect: AlterTable
            ALTER TABLE users ADD CONSTRAINT users_email_uq UNIQUE USING INDEX users_email_uq;
            -- expect: DoBlock
            DO $$
            DECLARE
              batch int := 1000;
            BEGIN
              LOOP
                UPDATE users SET email_lower = lower(email)
                 WHERE id IN (SELECT id FROM users WHERE email_lower IS NULL LIMIT batch);
                EXIT WHEN NOT FOUND;
                COMMIT;
              END LOOP;
            END $$;
            -- expect: Transaction
            BEGIN;
            -- expect: AlterType
            ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';
            -- expect: Transaction
            COMMIT;
            -- expect: AlterTable
            ALTER TABLE orders ALTER COLUMN status TYPE order_status_v2 USING status::text::order_status_v2;
            -- expect: CreateFunction
            CREATE OR REPLACE FUNCTION add_one(i int) RETURNS int
              LANGUAGE sql IMMUTABLE PARALLEL SAFE
            BEGIN ATOMIC
              SELECT i + 1;
            END;
            -- expect: CreateFunction
            CREATE PROCEDURE backfill(n int)
            LANGUAGE plpgsql AS $body$
            BEGIN
              UPDATE t SET x = 1 WHERE x IS NULL;
            END $body$;
            -- expect: Call
            CALL backfill(10);
            -- expect: LockTable
            LOCK TABLE orders IN SHARE MODE;
            -- expect: Vacuum
            VACUUM (ANALYZE) orders;
            -- expect: Reindex
            REINDEX INDEX CONCURRENTLY orders_pkey;
            -- expect: Update
            WITH batch AS (
              SELECT id FROM orders WHERE total IS NULL ORDER BY id LIMIT 5000 FOR UPDATE SKIP LOCKED
            )
            UPDATE orders o SET total = 0 FROM batch WHERE o.id = batch.id;
            -- expect: Delete
            DELETE FROM sessions WHERE expires_at < now();
            -- expect: Merge
            MERGE INTO stock s USING incoming i ON s.sku = i.sku
            WHEN MATCHED THEN UPDATE SET qty = s.qty + i.qty
            WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (i.sku, i.qty);
            -- expect: CreateTable
            CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, payload jsonb) PARTITION BY RANGE (at);
            -- expect: CreateTable
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            -- expect: AlterTable
            ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY;
            -- expect: DropTable
            DROP TABLE IF EXISTS events_2025;
            -- expect: CreateDomain
            CREATE DOMAIN us_postal_code AS text CHECK (VALUE ~ '^\\d{5}$' OR VALUE ~ '^\\d{5}-\\d{4}$');
            -- expect: CreateSchema
            CREATE SCHEMA IF NOT EXISTS audit;
            -- expect: OtherDdl
            CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_setting('app.tenant')::int);
            -- expect: Comment
            COMMENT ON COLUMN orders.total IS E'Total in the order\\'s currency';
            -- expect: Truncate
            TRUNCATE TABLE staging RESTART IDENTITY;
            -- expect: Opaque
            CHECKPOINT;
            """;

    static final String LIQUIBASE = """
            -- expect: CreateTable
            CREATE TABLE public.databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL, LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));
            -- expect: Delete
            DELETE FROM public.databasechangeloglock;
            -- expect: Insert
            INSERT INTO public.databasechangeloglock (ID, LOCKED) VALUES (1, FALSE);
            -- expect: Update
            UPDATE public.databasechangeloglock SET LOCKED = TRUE, LOCKEDBY = 'host (10.0.0.1)', LOCKGRANTED = NOW() WHERE ID = 1 AND LOCKED = FALSE;
            -- expect: CreateTable
            CREATE TABLE public.databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP WITHOUT TIME ZONE NOT NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));
            -- expect: AlterTable
            ALTER TABLE public.person ADD country VARCHAR(2);
            -- expect: AlterTable
            ALTER TABLE public.person ALTER COLUMN country SET NOT NULL;
            -- expect: CreateIndex
            CREATE INDEX idx_person_country ON public.person(country);
            """;

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("pg_dump", PG_DUMP),
                Arguments.of("rails", RAILS),
                Arguments.of("django", DJANGO),
                Arguments.of("hand-written", HAND_WRITTEN),
                Arguments.of("liquibase", LIQUIBASE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void everyStatementHasTheExpectedType(String name, String script) {
        SqlParser parser = new SqlParser();
        List<RawStatement> statements = SqlSplitter.split(script);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (RawStatement s : statements) {
            String expect = s.leadingComments().stream()
                    .filter(c -> c.startsWith(" expect: "))
                    .map(c -> c.substring(" expect: ".length()).trim())
                    .reduce((a, b) -> b)
                    .orElse("?");
            expected.add(expect + " <- " + s.sql().lines().findFirst().orElse(""));
            actual.add(parser.parse(s.sql()).getClass().getSimpleName() + " <- " + s.sql().lines().findFirst().orElse(""));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(script.split("-- expect: ", -1).length - 1).isEqualTo(statements.size());
    }

    @Test
    void pgDumpCopyDataAndDetails() {
        List<RawStatement> st = SqlSplitter.split(PG_DUMP);
        RawStatement copy = st.stream().filter(s -> s.sql().startsWith("COPY")).findFirst().orElseThrow();
        assertThat(copy.copyData()).isEqualTo("1\t10\tnew\t12.50\t2024-01-01 00:00:00+00\t\\N\n"
                + "2\t11\tpaid\t3.00\t2024-01-02 00:00:00+00\tsemi; colon\n");
        Change.CreateTable orders = (Change.CreateTable) new SqlParser().parse(
                st.stream().filter(s -> s.sql().startsWith("CREATE TABLE")).findFirst().orElseThrow().sql());
        assertThat(orders.columns()).extracting(c -> c.type().display())
                .containsExactly("bigint", "bigint", "public.order_status", "numeric(12,2)", "timestamptz", "text");
        assertThat(orders.constraints()).hasSize(1);
        assertThat(((Constraint.Check) orders.constraints().get(0)).expression().text()).isEqualTo("(total >= (0)::numeric)");
    }

    @Test
    void handWrittenLeadingDirective() {
        RawStatement first = SqlSplitter.split(HAND_WRITTEN).get(0);
        assertThat(first.leadingComments()).containsExactly(" migrate:ignore set-not-null ", " expect: SetParameter");
    }
}
