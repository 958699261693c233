-- A bit of everything a long history accumulates.
CREATE DOMAIN public.positive_amount AS numeric(12,2) CHECK (VALUE > 0);
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE public.room_bookings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id int NOT NULL,
    during tstzrange NOT NULL,
    price public.positive_amount,
    price_with_tax numeric GENERATED ALWAYS AS (price * 1.2) STORED,
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);

ALTER TABLE public.room_bookings ENABLE ROW LEVEL SECURITY;
CREATE POLICY room_bookings_owner ON public.room_bookings
    USING (room_id = current_setting('app.room_id', true)::int);

CREATE RULE crlf_notes_no_delete AS ON DELETE TO public.crlf_notes DO INSTEAD NOTHING;
CREATE RULE room_log AS ON INSERT TO public.room_bookings DO ALSO (
    NOTIFY room_bookings;
    SELECT 1;
);

CREATE STATISTICS public.orders_stats (dependencies) ON customer_id, status FROM public.orders;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
CREATE PUBLICATION orders_pub FOR TABLE public.orders WITH (publish = 'insert, update');
CREATE COLLATION IF NOT EXISTS public.german (provider = icu, locale = 'de-DE');
CREATE TEXT SEARCH CONFIGURATION public.english_simple (COPY = pg_catalog.english);

WITH moved AS (
    DELETE FROM public.orders WHERE status = 'cancelled' RETURNING *
)
INSERT INTO public.audit_log (table_name) SELECT 'orders' FROM moved;

MERGE INTO public.customers c
USING (VALUES (1, 'ada@example.com')) AS v(id, email)
ON c.id = v.id
WHEN MATCHED THEN UPDATE SET updated_at = now()
WHEN NOT MATCHED THEN DO NOTHING;

ALTER TABLE public.orders ALTER COLUMN total SET STATISTICS 500, ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE public.customers REPLICA IDENTITY FULL;
ALTER TABLE IF EXISTS public.room_bookings RENAME TO bookings;
ANALYZE public.orders;
VACUUM (ANALYZE) public.customers;
