-- squawk-ignore ban-drop-column
ALTER TABLE public.orders DROP COLUMN IF EXISTS notes;

-- lint:ignore require-concurrent-index-creation
CREATE INDEX orders_total_idx ON public.orders (total);

/* strong_migrations: safety_assured */
ALTER TABLE public.customers ALTER COLUMN name SET NOT NULL; -- squawk-ignore adding-not-nullable-field

-- atlas:nolint destructive
DROP TABLE IF EXISTS public.ar_internal_metadata CASCADE;

-- eugene: ignore E3
ALTER TABLE public.customers ADD COLUMN last_seen_at timestamptz;
