-- Enum swap: a new type, the column converted with USING, the old type dropped, the new renamed.
CREATE TYPE public.order_status_v2 AS ENUM ('pending', 'paid', 'shipped', 'refunded', 'cancelled', 'on_hold');

ALTER TABLE public.orders ALTER COLUMN status DROP DEFAULT;
ALTER TABLE public.orders
    ALTER COLUMN status TYPE public.order_status_v2
    USING (status::text)::public.order_status_v2;
ALTER TABLE public.orders ALTER COLUMN status SET DEFAULT 'pending'::public.order_status_v2;

DROP TYPE public.order_status;
ALTER TYPE public.order_status_v2 RENAME TO order_status;

-- varchar → integer with an expression, and a narrowing
ALTER TABLE public.projects ALTER COLUMN namespace_id TYPE integer USING namespace_id::integer;
