-- integer -> bigint is not binary coercible: both tables and all their indexes are rewritten
-- under an AccessExclusiveLock, and the referencing column has to change first.
ALTER TABLE order_items ALTER COLUMN order_id TYPE bigint;
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
