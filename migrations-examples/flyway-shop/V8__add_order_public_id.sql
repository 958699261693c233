-- Public identifiers for the new order-tracking page. Both defaults are volatile, so PostgreSQL
-- evaluates them per existing row: the whole table (and all its indexes) is rewritten under an
-- AccessExclusiveLock.
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT clock_timestamp();
