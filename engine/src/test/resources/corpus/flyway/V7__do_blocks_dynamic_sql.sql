-- Dynamic SQL: Tandem cannot see what these do.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'events_%' LOOP
        EXECUTE format('ALTER TABLE public.%I SET (autovacuum_vacuum_scale_factor = 0.01)', r.tablename);
    END LOOP;
END
$$;

DO LANGUAGE plpgsql $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_readonly') THEN
        CREATE ROLE app_readonly NOLOGIN;
    END IF;
    -- a semicolon in a comment; and 'a quote
    EXECUTE 'GRANT USAGE ON SCHEMA shop TO app_readonly';
END;
$do$;

DO $body$ BEGIN RAISE NOTICE 'dollar $$ inside: %', $q$it's$q$; END $body$;

CREATE OR REPLACE FUNCTION public.add_partition(day date) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    part text := 'events_' || to_char(day, 'YYYY_MM');
BEGIN
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS public.%I PARTITION OF public.events FOR VALUES FROM (%L) TO (%L)',
        part, date_trunc('month', day), date_trunc('month', day) + interval '1 month');
END;
$fn$;

SELECT public.add_partition('2024-05-01');
