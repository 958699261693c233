-- ALTER TYPE … ADD VALUE inside an explicit transaction block (allowed since PG 12, but the new
-- value cannot be used before COMMIT).
BEGIN;
ALTER TYPE public.order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'shipped';
ALTER TYPE public.order_status ADD VALUE 'cancelled' BEFORE 'paid';
COMMIT;
